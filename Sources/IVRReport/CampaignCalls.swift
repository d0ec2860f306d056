import IVRRuntime

/// The calls of one outbound campaign (records with `campaign`, from
/// `ivrc campaign --records`): how many were answered and by whom, and how
/// hard the contacts were to reach. `completion` here is the share of
/// dialled contacts that answered a call; the campaign's own summary, from
/// its journal, also counts the contacts that ended busy, unanswered or
/// declined.
public struct CampaignCalls: Sendable, Equatable {
    /// The journal's file name.
    public var name: String
    public var calls: Int
    /// Contacts (CSV lines) dialled at least once.
    public var contacts: Int
    public var answered: Int
    public var human: Int
    public var machine: Int
    /// Contacts with an answered call (a record with `answer`).
    public var contactsAnswered: Int

    /// Answered calls per call.
    public var answerRate: Double { calls > 0 ? Double(answered) / Double(calls) : 0 }
    /// Answered calls a machine took.
    public var machineShare: Double { answered > 0 ? Double(machine) / Double(answered) : 0 }
    /// Contacts that answered per contact dialled.
    public var completion: Double { contacts > 0 ? Double(contactsAnswered) / Double(contacts) : 0 }
    /// Calls per contact dialled.
    public var attemptsPerContact: Double { contacts > 0 ? Double(calls) / Double(contacts) : 0 }

    /// One entry per campaign among `records`, by name; empty when no record is a campaign's.
    public static func of(_ records: [CallRecord]) -> [CampaignCalls] {
        var byName: [String: [CallRecord]] = [:]
        for r in records { if let name = r.campaign { byName[name, default: []].append(r) } }
        return byName.keys.sorted().map { name in
            let calls = byName[name] ?? []
            let answered = calls.filter { $0.answer != nil }
            return CampaignCalls(name: name, calls: calls.count, contacts: Set(calls.compactMap(\.contact)).count,
                                 answered: answered.count, human: answered.count { $0.answeredBy == "human" },
                                 machine: answered.count { $0.answeredBy == "machine" },
                                 contactsAnswered: Set(answered.compactMap(\.contact)).count)
        }
    }
}
