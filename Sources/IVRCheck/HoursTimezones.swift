import Foundation
import IVRSyntax

/// E405: a schedule's `timezone` is not an IANA time-zone name. (Day keys and
/// time ranges are checked when the flow is read.)
enum HoursTimezones: FlowCheck {
    static func run(_ analysis: FlowAnalysis, _ context: CheckContext, _ out: inout [Diagnostic]) {
        let flow = analysis.flow
        for schedule in flow.hours {
            guard let zone = schedule.timezone, TimeZone(identifier: zone.value) == nil else { continue }
            out.append(.badTimeZone(zone, in: flow))
        }
    }
}

fileprivate extension Diagnostic {
    static func badTimeZone(_ zone: Located<String>, in flow: Flow) -> Diagnostic {
        let guess = closestMatch(to: zone.value, in: TimeZone.knownTimeZoneIdentifiers)
        return Diagnostic(.E405, "'\(zone.value)' is not a time zone", file: flow.file, range: zone.range,
                          help: guess.map { "did you mean '\($0)'?" } ?? "use an IANA name such as America/New_York or Europe/London",
                          fix: guess.map { FixIt(message: "replace with '\($0)'", range: zone.range, replacement: FixIt.scalar($0)) })
    }
}
