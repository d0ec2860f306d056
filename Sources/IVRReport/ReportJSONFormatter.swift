import IVRRuntime

/// `ivrc report --format json`: one object with every number of the report
/// (shape in docs/report.md). Durations are milliseconds; `hours` has 24
/// counts, index = UTC hour.
public enum ReportJSONFormatter {
    public static func format(_ s: CallStatistics, files: Int, malformed: Int) -> String {
        let object: JSON = .object([
            ("calls", number(s.calls)),
            ("files", number(files)),
            ("malformed", number(malformed)),
            ("outcomes", counts(s.outcomes)),
            ("timeInIVR", time(s.time)),
        ] + talk(s.talk) + [
            ("hours", .array(s.hours.map(number))),
            ("flows", .array(s.flows.map(flow))),
        ] + origins("servers", "server", s.servers) + origins("bundles", "bundle", s.bundles) + campaigns(s.campaigns))
        return object.serialized + "\n"
    }

    static func flow(_ f: CallStatistics.Flow) -> JSON {
        .object([
            ("flow", .string(f.name)),
            ("calls", number(f.calls)),
            ("transferredIn", number(f.transferredIn)),
            ("outcomes", counts(f.outcomes)),
            ("timeInIVR", time(f.time)),
        ] + talk(f.talk) + [
            ("menus", .array(f.menus.map { menu in
                .object([("node", .string(menu.node)), ("choices", number(menu.choices)), ("options", counts(menu.options))])
            })),
            ("abandonment", .array(f.abandonment.map { .object([("node", .string($0.name)), ("calls", number($0.count))]) })),
        ])
    }

    /// `"talk": {...}` when there were bridged transfers; nothing otherwise
    /// (reports of records without bridges keep their shape).
    static func talk(_ t: TalkTime?) -> [(String, JSON)] {
        guard let t else { return [] }
        func totals(_ bridges: Int, _ talkMs: Int, _ minutes: Int) -> [(String, JSON)] {
            [("bridges", number(bridges)), ("talkMs", number(talkMs)), ("billableMinutes", number(minutes))]
        }
        return [("talk", .object(totals(t.bridges, t.talkMs, t.billableMinutes) + [
            ("destinations", .array(t.destinations.map { d in
                .object([("destination", .string(d.name))] + totals(d.bridges, d.talkMs, d.billableMinutes))
            })),
        ]))]
    }

    /// `"servers": [{"server": NAME, "calls": N, "outcomes": {...}, "timeInIVR": {...}}]`
    /// (and `bundles` alike) when some record names one; nothing otherwise.
    static func origins(_ key: String, _ field: String, _ rows: [CallStatistics.Origin]) -> [(String, JSON)] {
        guard !rows.isEmpty else { return [] }
        return [(key, .array(rows.map { row in
            .object([(field, .string(row.name)), ("calls", number(row.calls)), ("outcomes", counts(row.outcomes)),
                     ("timeInIVR", time(row.time))])
        }))]
    }

    /// `"campaigns": [{"campaign": NAME, "calls": N, "answered": N, "human": N, "machine": N,
    /// "contacts": N, "contactsAnswered": N}]` when some record is a campaign's; nothing otherwise.
    static func campaigns(_ rows: [CampaignCalls]) -> [(String, JSON)] {
        guard !rows.isEmpty else { return [] }
        return [("campaigns", .array(rows.map { c in
            .object([("campaign", .string(c.name)), ("calls", number(c.calls)), ("answered", number(c.answered)),
                     ("human", number(c.human)), ("machine", number(c.machine)), ("contacts", number(c.contacts)),
                     ("contactsAnswered", number(c.contactsAnswered))])
        }))]
    }

    static func counts(_ c: [CallStatistics.Count]) -> JSON {
        .object(c.map { ($0.name, number($0.count)) })
    }

    static func time(_ d: CallStatistics.Durations) -> JSON {
        .object([("p50Ms", d.p50.map(number) ?? .null), ("p90Ms", d.p90.map(number) ?? .null)])
    }

    static func number(_ n: Int) -> JSON { .number(String(n)) }
}
