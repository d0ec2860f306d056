import Foundation

/// `ivrc report --format text`: aligned tables for a terminal, with bars for
/// the hour histogram.
public enum ReportTextFormatter {
    public static func format(_ s: CallStatistics, files: Int, malformed: Int) -> String {
        var out = "\(s.calls) call\(s.calls == 1 ? "" : "s") in \(files) file\(files == 1 ? "" : "s")"
        if malformed > 0 { out += " (\(malformed) malformed line\(malformed == 1 ? "" : "s") skipped)" }
        out += "\n"
        guard s.calls > 0 else { return out }

        out += "\nCalls per flow\n"
        out += table(s.flows.filter { $0.calls > 0 }.map { CallStatistics.Count($0.name, $0.calls) }, of: s.calls)
        out += "\nOutcomes\n" + table(s.outcomes, of: s.calls)
        out += "\nTime in IVR\n" + time(s.time)
        if let t = s.talk { out += "\nTalk time (bridged transfers)\n" + talk(t) }
        out += "\nBusiest hours (UTC)\n" + hours(s.hours)
        if !s.servers.isEmpty { out += "\nServers\n" + origins(s.servers, of: s.calls) }
        if !s.bundles.isEmpty { out += "\nBundles\n" + origins(s.bundles, of: s.calls, name: CallStatistics.shortBundle) }
        for c in s.campaigns { out += "\nCampaign \(c.name)\n" + campaign(c) }

        for flow in s.flows {
            out += "\nFlow \(flow.name): " + calls(flow) + "\n"
            if flow.calls > 0 {
                out += "  Outcomes\n" + table(flow.outcomes, of: flow.calls, indent: 4)
                out += "  Time in IVR\n" + time(flow.time, indent: 4)
            }
            if let t = flow.talk { out += "  Talk time (bridged transfers)\n" + talk(t, indent: 4) }
            for menu in flow.menus {
                out += "  Menu \(menu.node): \(menu.choices) choice\(menu.choices == 1 ? "" : "s")\n"
                out += table(menu.options.map { CallStatistics.Count(CallStatistics.choiceLabel($0.name), $0.count) }, of: menu.choices, indent: 4)
            }
            if !flow.abandonment.isEmpty {
                out += "  Abandoned (caller hung up), by node; % of the flow's calls\n"
                out += table(flow.abandonment, of: flow.reached, indent: 4)
            }
        }
        return out
    }

    /// `12 calls`, `12 calls, 3 transferred in through ivr:`.
    public static func calls(_ flow: CallStatistics.Flow) -> String {
        "\(flow.calls) call\(flow.calls == 1 ? "" : "s")"
            + (flow.transferredIn > 0 ? ", \(flow.transferredIn) transferred in through ivr:" : "")
    }

    /// One row per server or bundle: `name  calls  percent  outcomes  p50`.
    static func origins(_ rows: [CallStatistics.Origin], of whole: Int, name: (String) -> String = { $0 }) -> String {
        let names = rows.map { name($0.name) }
        let nameWidth = names.map(\.count).max() ?? 0
        let countWidth = rows.map { String($0.calls).count }.max() ?? 0
        return zip(names, rows).map { name, row in
            let outcomes = row.outcomes.filter { $0.count > 0 }.map { "\($0.name) \($0.count)" }.joined(separator: ", ")
            return "  " + pad(name, nameWidth) + "  " + padLeft(String(row.calls), countWidth) + "  "
                + padLeft(CallStatistics.percent(row.calls, of: whole), 6) + "  " + outcomes
                + "; p50 " + (row.time.p50.map(duration) ?? "-") + "\n"
        }.joined()
    }

    /// A campaign's answer rate, machine share, completion and attempts per contact.
    static func campaign(_ c: CampaignCalls) -> String {
        "  calls \(c.calls), answered \(c.answered) (answer rate \(CallStatistics.percent(c.answered, of: c.calls)); "
            + "human \(c.human), machine \(c.machine), machine share \(CallStatistics.percent(c.machine, of: c.answered)))\n"
            + "  contacts \(c.contacts), answered \(c.contactsAnswered) (completion \(CallStatistics.percent(c.contactsAnswered, of: c.contacts))); "
            + "attempts per contact \(String(format: "%.2f", c.attemptsPerContact))\n"
    }

    /// `name  count  percent` rows, columns aligned.
    static func table(_ rows: [CallStatistics.Count], of whole: Int, indent: Int = 2) -> String {
        let nameWidth = rows.map(\.name.count).max() ?? 0
        let countWidth = rows.map { String($0.count).count }.max() ?? 0
        return rows.map { row in
            String(repeating: " ", count: indent) + pad(row.name, nameWidth) + "  "
                + padLeft(String(row.count), countWidth) + "  "
                + padLeft(CallStatistics.percent(row.count, of: whole), 6) + "\n"
        }.joined()
    }

    static func time(_ d: CallStatistics.Durations, indent: Int = 2) -> String {
        let space = String(repeating: " ", count: indent)
        return space + "p50  " + (d.p50.map(duration) ?? "-") + "\n" + space + "p90  " + (d.p90.map(duration) ?? "-") + "\n"
    }

    /// The total, then one row per destination:
    /// `name  bridges  talk  billable minutes`, columns aligned.
    static func talk(_ t: TalkTime, indent: Int = 2) -> String {
        let rows = [("all destinations", t.bridges, t.talkMs, t.billableMinutes)]
            + t.destinations.map { ($0.name, $0.bridges, $0.talkMs, $0.billableMinutes) }
        let nameWidth = rows.map(\.0.count).max() ?? 0
        let callsWidth = rows.map { "\($0.1) call\($0.1 == 1 ? "" : "s")".count }.max() ?? 0
        let talkWidth = rows.map { duration($0.2).count }.max() ?? 0
        return rows.map { row in
            String(repeating: " ", count: indent) + pad(row.0, nameWidth) + "  "
                + padLeft("\(row.1) call\(row.1 == 1 ? "" : "s")", callsWidth) + "  talked "
                + padLeft(duration(row.2), talkWidth) + "  billable \(row.3) min\n"
        }.joined()
    }

    /// 24 rows, `HH:00  count  bar` (bars scaled to the busiest hour).
    static func hours(_ hours: [Int]) -> String {
        let top = max(hours.max() ?? 0, 1)
        let width = String(top).count
        return hours.enumerated().map { hour, count in
            let bar = String(repeating: "#", count: (count * 40 + top - 1) / top)
            return "  " + padLeft(String(hour), 2, with: "0") + ":00  " + padLeft(String(count), width) + "  " + bar + "\n"
        }.joined()
    }

    /// `850ms`, `12.3s`, `2m05s`, `1h02m`.
    public static func duration(_ ms: Int) -> String {
        if ms < 1000 { return "\(ms)ms" }
        if ms < 60_000 { return "\(ms / 1000).\((ms % 1000) / 100)s" }
        let seconds = ms / 1000
        if seconds < 3600 { return "\(seconds / 60)m" + padLeft(String(seconds % 60), 2, with: "0") + "s" }
        return "\(seconds / 3600)h" + padLeft(String((seconds % 3600) / 60), 2, with: "0") + "m"
    }

    static func pad(_ s: String, _ width: Int) -> String {
        s + String(repeating: " ", count: max(0, width - s.count))
    }

    static func padLeft(_ s: String, _ width: Int, with fill: Character = " ") -> String {
        String(repeating: fill, count: max(0, width - s.count)) + s
    }
}
