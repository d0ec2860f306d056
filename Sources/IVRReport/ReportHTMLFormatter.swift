/// `ivrc report --format html`: one self-contained page (inline CSS and SVG,
/// no scripts, no external assets). Charts: the outcomes and the busiest
/// hours of all calls, then per flow its outcomes and one chart per menu.
public enum ReportHTMLFormatter {
    /// Fill colours of the outcomes.
    static let outcomeColors = ["transfer": "#2e8b57", "hangup": "#3b6ea8", "caller-hangup": "#e08a1e", "error": "#c0392b"]

    /// How many `<svg>` charts `format` draws for these statistics.
    public static func chartCount(_ s: CallStatistics) -> Int {
        guard s.calls > 0 else { return 0 }
        return 2 + s.flows.reduce(0) { $0 + ($1.calls > 0 ? 1 : 0) + $1.menus.count }
    }

    public static func format(_ s: CallStatistics, files: Int, malformed: Int) -> String {
        var body = "<h1>IVR call report</h1>\n<p class=\"lead\">\(s.calls) call\(s.calls == 1 ? "" : "s") in \(files) file\(files == 1 ? "" : "s")"
        if malformed > 0 { body += "; \(malformed) malformed line\(malformed == 1 ? "" : "s") skipped" }
        body += "</p>\n"
        if s.calls > 0 {
            body += "<section><h2>Calls per flow</h2>" + table(["Flow", "Calls", "%"], s.flows.filter { $0.calls > 0 }.map {
                [$0.name, String($0.calls), CallStatistics.percent($0.calls, of: s.calls)]
            }) + "</section>\n"
            body += "<section><h2>Outcomes</h2>" + outcomes(s.outcomes, title: "Outcomes of all calls") + "</section>\n"
            body += "<section><h2>Time in IVR</h2>" + time(s.time) + "</section>\n"
            if let t = s.talk { body += "<section><h2>Talk time (bridged transfers)</h2>" + talk(t) + "</section>\n" }
            let hours = s.hours.enumerated().map { BarChart.Bar(String(format: "%02d", $0.offset), $0.element) }
            body += "<section><h2>Busiest hours (UTC)</h2>" + BarChart(title: "Calls by UTC hour", bars: hours).vertical() + "</section>\n"
            if !s.servers.isEmpty { body += "<section><h2>Servers</h2>" + origins("Server", s.servers, of: s.calls) + "</section>\n" }
            if !s.bundles.isEmpty { body += "<section><h2>Bundles</h2>" + origins("Bundle", s.bundles, of: s.calls) + "</section>\n" }
            if !s.campaigns.isEmpty { body += "<section><h2>Campaigns</h2>" + campaigns(s.campaigns) + "</section>\n" }
            for flow in s.flows { body += section(flow) }
        }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>IVR call report</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 2em; color: #222; max-width: 60em; }
            h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 1.5em; } h3 { font-size: 1.05em; }
            section.flow { border-top: 2px solid #ddd; margin-top: 2em; }
            table { border-collapse: collapse; margin: 0.5em 0; }
            th, td { padding: 0.2em 0.8em; text-align: left; border-bottom: 1px solid #eee; }
            td.n { text-align: right; font-variant-numeric: tabular-nums; }
            svg.chart { display: block; margin: 0.5em 0; }
            </style>
            </head>
            <body>
            \(body)</body>
            </html>

            """
    }

    static func section(_ flow: CallStatistics.Flow) -> String {
        var html = "<section class=\"flow\"><h2>Flow \(HTML.escape(flow.name))</h2><p>\(HTML.escape(ReportTextFormatter.calls(flow)))</p>"
        if flow.calls > 0 {
            html += "<h3>Outcomes</h3>" + outcomes(flow.outcomes, title: "Outcomes of \(flow.name)")
            html += "<h3>Time in IVR</h3>" + time(flow.time)
        }
        if let t = flow.talk { html += "<h3>Talk time (bridged transfers)</h3>" + talk(t) }
        for menu in flow.menus {
            html += "<h3>Menu \(HTML.escape(menu.node)) (\(menu.choices) choice\(menu.choices == 1 ? "" : "s"))</h3>"
            html += BarChart(title: "Choices in menu \(menu.node)", bars: menu.options.map { BarChart.Bar(CallStatistics.choiceLabel($0.name), $0.count) }).horizontal()
        }
        if !flow.abandonment.isEmpty {
            html += "<h3>Abandoned calls by node</h3>" + table(["Node", "Caller hung up", "% of the flow's calls"], flow.abandonment.map {
                [$0.name, String($0.count), CallStatistics.percent($0.count, of: flow.reached)]
            })
        }
        return html + "</section>\n"
    }

    static func outcomes(_ counts: [CallStatistics.Count], title: String) -> String {
        BarChart(title: title, bars: counts.map { BarChart.Bar($0.name, $0.count, color: outcomeColors[$0.name] ?? "#777") }).horizontal()
    }

    static func time(_ d: CallStatistics.Durations) -> String {
        table(["Percentile", "Time"], [["p50", d.p50.map(ReportTextFormatter.duration) ?? "-"],
                                      ["p90", d.p90.map(ReportTextFormatter.duration) ?? "-"]])
    }

    /// One row per server or bundle (a bundle by the first 12 digits of its
    /// hash, the whole hash in the cell's title): calls, share, the
    /// standard outcomes, p50 time in IVR.
    static func origins(_ what: String, _ rows: [CallStatistics.Origin], of whole: Int) -> String {
        let outcomeNames = CallStatistics.standardOutcomes
        var html = "<table><thead><tr>" + ([what, "Calls", "%"] + outcomeNames + ["p50 in IVR"]).map { "<th>\(HTML.escape($0))</th>" }.joined()
            + "</tr></thead><tbody>"
        for row in rows {
            let counts = outcomeNames.map { name in String(row.outcomes.first { $0.name == name }?.count ?? 0) }
            let shown = what == "Bundle" ? CallStatistics.shortBundle(row.name) : row.name
            html += "<tr><td title=\"\(HTML.escape(row.name))\">\(HTML.escape(shown))</td>"
                + ([String(row.calls), CallStatistics.percent(row.calls, of: whole)] + counts
                   + [row.time.p50.map(ReportTextFormatter.duration) ?? "-"]).map { "<td class=\"n\">\(HTML.escape($0))</td>" }.joined()
                + "</tr>"
        }
        return html + "</tbody></table>"
    }

    /// The total and one row per destination: bridges, talk, billable minutes.
    static func talk(_ t: TalkTime) -> String {
        table(["Destination", "Bridged calls", "Talk time", "Billable minutes"],
              [["all destinations", String(t.bridges), ReportTextFormatter.duration(t.talkMs), String(t.billableMinutes)]]
                + t.destinations.map { [$0.name, String($0.bridges), ReportTextFormatter.duration($0.talkMs), String($0.billableMinutes)] })
    }

    /// One row per campaign: calls, answer rate, machine share, completion, attempts per contact.
    static func campaigns(_ rows: [CampaignCalls]) -> String {
        table(["Campaign", "Calls", "Answered", "Answer rate", "Human", "Machine", "Machine share", "Contacts",
               "Contacts answered", "Completion", "Attempts per contact"],
              rows.map { c in
                  [c.name, String(c.calls), String(c.answered), CallStatistics.percent(c.answered, of: c.calls), String(c.human),
                   String(c.machine), CallStatistics.percent(c.machine, of: c.answered), String(c.contacts),
                   String(c.contactsAnswered), CallStatistics.percent(c.contactsAnswered, of: c.contacts),
                   String(format: "%.2f", c.attemptsPerContact)]
              })
    }

    /// A table; cells after the first are numbers (right-aligned).
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        var html = "<table><thead><tr>" + header.map { "<th>\(HTML.escape($0))</th>" }.joined() + "</tr></thead><tbody>"
        for row in rows {
            html += "<tr>" + row.enumerated().map { i, cell in
                i == 0 ? "<td>\(HTML.escape(cell))</td>" : "<td class=\"n\">\(HTML.escape(cell))</td>"
            }.joined() + "</tr>"
        }
        return html + "</tbody></table>"
    }
}
