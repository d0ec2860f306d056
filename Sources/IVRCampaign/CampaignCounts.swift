import Foundation

/// What a campaign has done so far, over every run of its journal: the
/// progress line, `--progress json` and the summary at the end.
public struct CampaignCounts: Sendable, Equatable {
    /// Rows of the contacts file (valid and invalid).
    public var contacts = 0
    /// Calls started (attempts), over every run.
    public var dialled = 0
    public var answered = 0
    public var human = 0
    public var machine = 0
    public var busy = 0
    public var noAnswer = 0
    public var declined = 0
    public var failed = 0
    public var invalid = 0
    public var doNotCall = 0
    public var outsideWindowExpired = 0
    /// Contacts in a final state.
    public var completed = 0
    /// Calls in progress now.
    public var inProgress = 0
    /// Calls started by this run, and seconds since it began.
    public var startedThisRun = 0
    public var elapsed: Double = 0

    public init() {}

    /// Contacts not yet in a final state.
    public var remaining: Int { contacts - completed }

    /// Calls started per second by this run.
    public var rate: Double { elapsed > 0 ? Double(startedThisRun) / elapsed : 0 }

    /// Seconds until every remaining contact has had a call at this
    /// run's rate (nil before a rate is known).
    public var eta: Double? { rate > 0 ? Double(remaining) / rate : nil }

    /// Answered calls per call started.
    public var answerRate: Double { dialled > 0 ? Double(answered) / Double(dialled) : 0 }

    /// Answered calls a machine took.
    public var machineShare: Double { answered > 0 ? Double(machine) / Double(answered) : 0 }

    /// Calls per contact that was dialled at least once (`dialledContacts`).
    public var dialledContacts = 0
    public var attemptsPerContact: Double { dialledContacts > 0 ? Double(dialled) / Double(dialledContacts) : 0 }

    /// Counts one result line.
    mutating func count(_ result: CallResult, answeredBy: String?) {
        switch result {
        case .answered:
            answered += 1
            if answeredBy == "human" { human += 1 } else if answeredBy == "machine" { machine += 1 }
        case .busy: busy += 1
        case .noAnswer: noAnswer += 1
        case .declined: declined += 1
        case .failed: failed += 1
        case .invalid: invalid += 1
        case .doNotCall: doNotCall += 1
        case .outsideWindowExpired: outsideWindowExpired += 1
        }
    }
}
