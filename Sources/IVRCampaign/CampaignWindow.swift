import Foundation
import IVRBytecode
import IVRRuntime

/// `--window NAME`: a schedule of the flow's `hours`; a contact is called
/// only while it is open in the contact's time zone (its `timezone`
/// column), else in the schedule's own. A contact whose window does not
/// open within `horizon` is given up as `outside-window-expired`.
public struct CampaignWindow: Sendable {
    public var name: String
    let schedule: ScheduleImage
    let strings: [String]
    /// How far ahead an opening is looked for (8 days: every weekday and a holiday).
    public var horizon: TimeInterval = 8 * 86_400

    /// The schedule named `name` in the flow, or nil when the flow has none by that name.
    public init?(name: String, flow: Int, bundle: VerifiedBundle) {
        guard let schedule = bundle.flows[flow].schedules.first(where: { bundle.strings[$0.name] == name }) else { return nil }
        self.name = name
        self.schedule = schedule
        self.strings = bundle.strings
    }

    /// The names of the flow's schedules (for the message when `--window` names none of them).
    public static func names(flow: Int, bundle: VerifiedBundle) -> [String] {
        bundle.flows[flow].schedules.map { bundle.strings[$0.name] }
    }

    public func isOpen(at date: Date, in zone: TimeZone?) -> Bool {
        BusinessHours.isOpen(schedule, strings: strings, at: date, in: zone)
    }

    /// Whether the window opens within `horizon` of `date` (5-minute steps).
    public func opens(after date: Date, in zone: TimeZone?) -> Bool {
        var t = date
        while t.timeIntervalSince(date) <= horizon {
            if isOpen(at: t, in: zone) { return true }
            t += 300
        }
        return false
    }
}
