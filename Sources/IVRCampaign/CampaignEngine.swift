import Foundation
import IVRRuntime
import Synchronization

/// Runs a campaign: calls every contact of the list until each reaches a
/// final state, paced (`rate`: call starts on a fixed grid of 1/rate
/// seconds), bounded (`maxConcurrent`), retried (busy, no-answer and
/// failed, after `retryAfter`, up to `attempts` dials), within the
/// window, and journaled: `dialling` is on disk before a call starts, so
/// after a crash a rerun on the same journal never dials a contact more
/// than its attempts and skips none (a call in flight at the crash counts
/// as an attempt; see `CampaignResume`).
public final class CampaignEngine: Sendable {
    public let contacts: ContactList
    public let journal: CampaignJournal
    public let settings: CampaignSettings
    public let window: CampaignWindow?
    public let doNotCall: DoNotCallList
    let dialer: any CampaignDialer
    let now: @Sendable () -> Date

    public init(contacts: ContactList, journal: CampaignJournal, settings: CampaignSettings, window: CampaignWindow?,
                doNotCall: DoNotCallList, dialer: any CampaignDialer, now: @escaping @Sendable () -> Date = { Date() }) {
        self.contacts = contacts
        self.journal = journal
        self.settings = settings
        self.window = window
        self.doNotCall = doNotCall
        self.dialer = dialer
        self.now = now
    }

    /// How the run ended.
    public struct Outcome: Sendable {
        public var counts: CampaignCounts
        /// Every contact reached a final state.
        public var complete: Bool
        /// The journal could not be written (the run stopped).
        public var journalFailure: CampaignJournal.Failure?
        /// The journal does not belong to this contacts file.
        public var mismatch: String?
    }

    /// A call that ended, for the loop.
    struct Ended: Sendable {
        var index: Int
        var result: CallResult
        var answeredBy: String?
        var final: Bool
        var at: Date
    }

    /// Runs until every contact is final or `stop` is requested (then the
    /// calls in progress finish first). `report` gets each invalid row
    /// (once: the first run that journals it); `progress` is called about
    /// once a second and at the end.
    public func run(stop: CampaignStop, report: @escaping @Sendable (InvalidRow) -> Void = { _ in },
                    progress: @escaping @Sendable (CampaignCounts) -> Void = { _ in }) async -> Outcome {
        let started = now()
        let resume: CampaignResume
        switch CampaignResume.replay(journal.existing, contacts: contacts, settings: settings, at: started) {
        case .success(let r): resume = r
        case .failure(let mismatch):
            return Outcome(counts: CampaignCounts(), complete: false, journalFailure: nil, mismatch: mismatch.description)
        }
        var counts = resume.counts
        var states = resume.states
        // Lines a crash left without a result, rows never journaled yet.
        var pendingLines = resume.closingLines
        for row in contacts.invalid where !resume.finalLines.contains(row.line) {
            report(row)
            pendingLines.append(JournalEntry(at: started, contact: row.line, number: row.number, attempt: 0, event: .result,
                                             result: .invalid, final: true, answeredBy: CallResultDefaults.unknown, detail: row.reason))
            counts.count(.invalid, answeredBy: nil)
            counts.completed += 1
        }
        for i in states.indices where states[i].final == nil {
            let contact = states[i].contact
            var result: CallResult?
            if doNotCall.contains(contact.number) {
                result = .doNotCall
            } else if let window, !window.opens(after: started, in: contact.timezone) {
                result = .outsideWindowExpired
            }
            guard let result else { continue }
            states[i].final = result
            pendingLines.append(JournalEntry(at: started, contact: contact.line, number: contact.number, attempt: states[i].attempts,
                                             event: .result, result: result, final: true, answeredBy: CallResultDefaults.unknown,
                                             detail: result == .outsideWindowExpired ? "window '\(window?.name ?? "")' does not open within 8 days" : nil))
            counts.count(result, answeredBy: nil)
            counts.completed += 1
        }
        // Contacts the journal has not seen yet enter the queue.
        for state in states where state.final == nil && !resume.journaledLines.contains(state.contact.line) {
            pendingLines.append(JournalEntry(at: started, contact: state.contact.line, number: state.contact.number, attempt: 0,
                                             event: .queued))
        }
        if case .failure(let f) = journal.append(contentsOf: pendingLines) {
            return Outcome(counts: counts, complete: false, journalFailure: f, mismatch: nil)
        }
        progress(counts)
        return await dialLoop(states: states, counts: counts, started: started, stop: stop, progress: progress)
    }

    private func dialLoop(states initial: [ContactState], counts initialCounts: CampaignCounts, started: Date, stop: CampaignStop,
                          progress: @escaping @Sendable (CampaignCounts) -> Void) async -> Outcome {
        var states = initial
        var counts = initialCounts
        // What the calls report back to the loop: ended attempts.
        let ended = Inbox<Ended>()
        var journalFailure: CampaignJournal.Failure?
        let interval = settings.rate.interval
        var nextStart = started
        var lastProgress = started
        var inFlight = 0
        var windowCache: [String: (minute: Int, open: Bool)] = [:]
        let (journal, dialer, attempts) = (self.journal, self.dialer, settings.attempts)
        let clock = now

        await withTaskGroup(of: Void.self) { group in
            while true {
                let t = clock()
                for e in ended.take() {
                    inFlight -= 1
                    counts.inProgress = inFlight
                    states[e.index].inFlight = false
                    counts.count(e.result, answeredBy: e.answeredBy)
                    if e.final {
                        states[e.index].final = e.result
                        counts.completed += 1
                    } else {
                        states[e.index].notBefore = e.at + settings.retryAfter
                    }
                }
                counts.elapsed = t.timeIntervalSince(started)
                if t.timeIntervalSince(lastProgress) >= 1 {
                    lastProgress = t
                    progress(counts)
                }
                let stopping = stop.isRequested || journalFailure != nil
                let open = states.contains { $0.final == nil }
                if (stopping || !open) && inFlight == 0 { break }
                // The next contact due, in list order: retries wait their turn after `retryAfter`.
                var pick: Int?
                if !stopping, inFlight < settings.maxConcurrent, t >= nextStart {
                    pick = states.indices.first { i in
                        let s = states[i]
                        guard s.final == nil, !s.inFlight, s.notBefore <= t else { return false }
                        guard let window else { return true }
                        let zone = s.contact.timezone?.identifier ?? ""
                        let minute = Int(t.timeIntervalSince1970 / 60)
                        if let cached = windowCache[zone], cached.minute == minute { return cached.open }
                        let isOpen = window.isOpen(at: t, in: s.contact.timezone)
                        windowCache[zone] = (minute, isOpen)
                        return isOpen
                    }
                }
                guard let i = pick else {
                    let wait = max(0.005, min(0.05, nextStart.timeIntervalSince(t)))
                    try? await Task.sleep(for: .milliseconds(Int(wait * 1000)))
                    continue
                }
                // On the grid while keeping up; a late start (nothing was due) restarts it.
                nextStart = (t.timeIntervalSince(nextStart) < interval ? nextStart : t) + interval
                let contact = states[i].contact
                let attempt = states[i].attempts + 1
                let callID = "ivrc-campaign-\(UUID().uuidString.lowercased())"
                // On disk before the INVITE: a crash from here on counts this attempt.
                if case .failure(let f) = journal.append(JournalEntry(at: t, contact: contact.line, number: contact.number,
                                                                      attempt: attempt, event: .dialling, callId: callID)) {
                    journalFailure = f
                    continue
                }
                states[i].attempts = attempt
                states[i].inFlight = true
                if attempt == 1 { counts.dialledContacts += 1 }
                counts.dialled += 1
                counts.startedThisRun += 1
                inFlight += 1
                counts.inProgress = inFlight
                group.addTask {
                    let outcome = await dialer.dial(contact, attempt: attempt, callID: callID) {
                        journal.append(JournalEntry(at: clock(), contact: contact.line, number: contact.number, attempt: attempt,
                                                    event: .answered, callId: callID))
                    }
                    let final = !outcome.result.isRetried || attempt >= attempts
                    let at = clock()
                    journal.append(JournalEntry(at: at, contact: contact.line, number: contact.number, attempt: attempt,
                                                event: .result, result: outcome.result, final: final,
                                                answeredBy: (outcome.answeredBy ?? .unknown).rawValue,
                                                callId: callID, detail: outcome.detail))
                    ended.put(Ended(index: i, result: outcome.result, answeredBy: outcome.answeredBy?.rawValue, final: final, at: at))
                }
            }
            await group.waitForAll()
        }
        counts.elapsed = clock().timeIntervalSince(started)
        progress(counts)
        let complete = states.allSatisfy { $0.final != nil }
        return Outcome(counts: counts, complete: complete, journalFailure: journalFailure, mismatch: nil)
    }
}

/// One valid contact while the campaign runs.
struct ContactState: Sendable {
    var contact: Contact
    /// Dials so far (journaled `dialling` lines).
    var attempts = 0
    /// Its final result, once it has one.
    var final: CallResult?
    /// Not dialled again before this (a retry's `retryAfter`).
    var notBefore = Date.distantPast
    var inFlight = false
}

/// Items the calls hand to the campaign's loop, taken all at once.
final class Inbox<Item: Sendable>: Sendable {
    private let items = Mutex<[Item]>([])

    func put(_ item: Item) { items.withLock { $0.append(item) } }

    func take() -> [Item] {
        items.withLock { list in
            defer { list = [] }
            return list
        }
    }
}
