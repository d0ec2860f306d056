import Foundation
import IVRCampaign

/// `ivrc campaign --progress`: how a campaign's counts are shown while it
/// runs (a live line on a terminal, JSON lines for machines) and the
/// summary at its end.
enum CampaignProgressFormat: String, Sendable, CaseIterable {
    case auto, json, none

    /// The live line (standard error, rewritten in place with `\r`).
    static func line(_ c: CampaignCounts) -> String {
        let eta = c.eta.map { Self.clock($0) } ?? "-"
        return "dialled \(c.dialled), answered \(c.answered) (human \(c.human), machine \(c.machine)), busy \(c.busy), "
            + "no-answer \(c.noAnswer), declined \(c.declined), failed \(c.failed), in progress \(c.inProgress), "
            + "remaining \(c.remaining), rate \(String(format: "%.2f", c.rate))/s, ETA \(eta)"
    }

    /// One `--progress json` line: `{"event": "progress"|"summary", ...counts, "rate", "eta", ...}`.
    static func json(_ c: CampaignCounts, event: String, complete: Bool? = nil) -> String {
        var object: [String: Any] = [
            "event": event, "contacts": c.contacts, "dialled": c.dialled, "answered": c.answered, "human": c.human,
            "machine": c.machine, "busy": c.busy, "no-answer": c.noAnswer, "declined": c.declined, "failed": c.failed,
            "invalid": c.invalid, "do-not-call": c.doNotCall, "outside-window-expired": c.outsideWindowExpired,
            "completed": c.completed, "remaining": c.remaining, "inProgress": c.inProgress,
            "rate": (c.rate * 1000).rounded() / 1000, "elapsed": (c.elapsed * 1000).rounded() / 1000,
            "answerRate": (c.answerRate * 1000).rounded() / 1000, "machineShare": (c.machineShare * 1000).rounded() / 1000,
            "attemptsPerContact": (c.attemptsPerContact * 1000).rounded() / 1000,
        ]
        if let eta = c.eta { object["eta"] = eta.rounded() }
        if let complete { object["complete"] = complete }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// The summary at the end (standard output).
    static func summary(_ c: CampaignCounts, contactsFile: String, complete: Bool) -> String {
        func percent(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }
        let completion = c.contacts > 0 ? Double(c.completed) / Double(c.contacts) : 1
        return """
            campaign \(contactsFile): \(c.contacts) contacts, \(c.completed) in a final state (\(percent(completion)))\
            \(complete ? "" : ", \(c.remaining) remaining: run the same command again to resume")
              calls \(c.dialled): answered \(c.answered) (answer rate \(percent(c.answerRate)); human \(c.human), machine \(c.machine), \
            machine share \(percent(c.machineShare))), busy \(c.busy), no-answer \(c.noAnswer), declined \(c.declined), failed \(c.failed)
              never dialled: invalid \(c.invalid), do-not-call \(c.doNotCall), outside-window-expired \(c.outsideWindowExpired); \
            attempts per dialled contact \(String(format: "%.2f", c.attemptsPerContact))

            """
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
