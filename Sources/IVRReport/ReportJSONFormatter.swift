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
            ("hours", .array(s.hours.map(number))),
            ("flows", .array(s.flows.map(flow))),
        ])
        return object.serialized + "\n"
    }

    static func flow(_ f: CallStatistics.Flow) -> JSON {
        .object([
            ("flow", .string(f.name)),
            ("calls", number(f.calls)),
            ("transferredIn", number(f.transferredIn)),
            ("outcomes", counts(f.outcomes)),
            ("timeInIVR", time(f.time)),
            ("menus", .array(f.menus.map { menu in
                .object([("node", .string(menu.node)), ("choices", number(menu.choices)), ("options", counts(menu.options))])
            })),
            ("abandonment", .array(f.abandonment.map { .object([("node", .string($0.name)), ("calls", number($0.count))]) })),
        ])
    }

    static func counts(_ c: [CallStatistics.Count]) -> JSON {
        .object(c.map { ($0.name, number($0.count)) })
    }

    static func time(_ d: CallStatistics.Durations) -> JSON {
        .object([("p50Ms", d.p50.map(number) ?? .null), ("p90Ms", d.p90.map(number) ?? .null)])
    }

    static func number(_ n: Int) -> JSON { .number(String(n)) }
}
