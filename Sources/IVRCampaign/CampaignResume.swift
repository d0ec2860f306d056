import Foundation

/// What a journal says about each contact when a campaign starts again:
/// the dials so far (each `dialling` line is one, whatever followed it),
/// the final results, when a retry is due, and the counts. A `dialling`
/// line with no result (the process died during that call) is closed
/// with a result line: `answered` (final) when an `answered` line shows
/// the callee picked up, since calling again could deliver the message
/// twice; else `failed`, retried after `retryAfter` from the dial while
/// attempts remain.
struct CampaignResume {
    var states: [ContactState]
    var counts: CampaignCounts
    /// CSV lines with a final result in the journal (contacts and invalid rows).
    var finalLines: Set<Int>
    /// Result lines to append for calls a crash interrupted.
    var closingLines: [JournalEntry]
    /// CSV lines the journal has any line for.
    var journaledLines: Set<Int> = []

    /// The journal names a different number for a CSV line than the
    /// contacts file now has: it belongs to another list.
    struct Mismatch: Error, CustomStringConvertible {
        var line: Int
        var journaled: String
        var listed: String
        var description: String {
            "the journal has \(journaled) for line \(line) of the contacts file, which now has \(listed) there: it belongs to another contacts file (use a new journal for a new list)"
        }
    }

    static func replay(_ entries: [JournalEntry], contacts: ContactList, settings: CampaignSettings,
                       at now: Date) -> Result<CampaignResume, Mismatch> {
        var byLine: [Int: [JournalEntry]] = [:]
        for e in entries { byLine[e.contact, default: []].append(e) }
        var numbers: [Int: String] = [:]
        for c in contacts.contacts { numbers[c.line] = c.number }
        for row in contacts.invalid { numbers[row.line] = row.number }
        for (line, list) in byLine {
            if let listed = numbers[line], let journaled = list.first?.number, journaled != listed {
                return .failure(Mismatch(line: line, journaled: journaled, listed: listed))
            }
        }
        var resume = CampaignResume(states: [], counts: CampaignCounts(), finalLines: [], closingLines: [])
        resume.journaledLines = Set(byLine.keys)
        resume.counts.contacts = contacts.contacts.count + contacts.invalid.count
        for e in entries where e.event == .result {
            if let r = e.result { resume.counts.count(r, answeredBy: e.answeredBy) }
            if e.final == true { resume.finalLines.insert(e.contact) }
        }
        for row in contacts.invalid where resume.finalLines.contains(row.line) { resume.counts.completed += 1 }
        for contact in contacts.contacts {
            var state = ContactState(contact: contact)
            let list = byLine[contact.line] ?? []
            let dials = list.filter { $0.event == .dialling }
            state.attempts = dials.map(\.attempt).max() ?? 0
            if !dials.isEmpty { resume.counts.dialledContacts += 1 }
            resume.counts.dialled += dials.count
            if let final = list.last(where: { $0.event == .result && $0.final == true }) {
                state.final = final.result ?? .failed
            } else {
                var retryFrom: Date?
                for dial in dials where !list.contains(where: { $0.event == .result && $0.attempt == dial.attempt }) {
                    let answered = list.contains { $0.event == .answered && $0.attempt == dial.attempt }
                    let result: CallResult = answered ? .answered : .failed
                    let final = answered || dial.attempt >= settings.attempts
                    resume.closingLines.append(JournalEntry(at: now, contact: contact.line, number: contact.number, attempt: dial.attempt,
                                                            event: .result, result: result, final: final,
                                                            answeredBy: CallResultDefaults.unknown, callId: dial.callId,
                                                            detail: "interrupted: the campaign stopped during this call"))
                    resume.counts.count(result, answeredBy: nil)
                    if final { state.final = result }
                    retryFrom = dial.date
                }
                if let last = list.last(where: { $0.event == .result }), let date = last.date, retryFrom.map({ date > $0 }) ?? true {
                    retryFrom = date
                }
                if state.final == nil, let retryFrom { state.notBefore = retryFrom + settings.retryAfter }
                // Rerun with fewer --attempts than this contact already had.
                if state.final == nil, state.attempts >= settings.attempts {
                    let last = list.last(where: { $0.event == .result })?.result ?? .failed
                    resume.closingLines.append(JournalEntry(at: now, contact: contact.line, number: contact.number, attempt: state.attempts,
                                                            event: .result, result: last, final: true,
                                                            answeredBy: CallResultDefaults.unknown, detail: "its \(state.attempts) attempts are used (--attempts \(settings.attempts))"))
                    state.final = last
                }
            }
            if state.final != nil { resume.counts.completed += 1 }
            resume.states.append(state)
        }
        return .success(resume)
    }
}

/// Spellings the journal uses for `answeredBy`.
enum CallResultDefaults {
    static let unknown = "unknown"
}
