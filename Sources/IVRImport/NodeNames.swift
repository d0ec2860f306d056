/// Node and flow names made from a platform's names: lower case, letters,
/// digits, `-` and `_`, never a built-in target, unique in the flow.
struct NodeNames: Sendable {
    static let builtins: Set<String> = ["repeat", "back", "top", "hangup"]
    private var taken: Set<String> = []

    /// `Sales Menu!` -> `sales-menu`; a name starting with a digit gets a `n-` prefix.
    static func normalize(_ raw: String) -> String {
        var out = ""
        for u in raw.lowercased().unicodeScalars {
            if ("a"..."z").contains(u) || ("0"..."9").contains(u) || u == "_" || u == "-" {
                out.unicodeScalars.append(u)
            } else if !out.isEmpty, out.last != "-" {
                out += "-"
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        if out.isEmpty { return "node" }
        if let first = out.unicodeScalars.first, !("a"..."z").contains(first) { out = "n-" + out }
        return out
    }

    /// A flow name from a source's title, or `fallback` when the title has no letters or digits.
    static func flowName(_ raw: String?, fallback: String) -> String {
        guard let raw, raw.contains(where: { $0.isLetter || $0.isNumber }) else { return fallback }
        let name = normalize(raw)
        return name == "node" && raw.lowercased() != "node" ? fallback : name
    }

    /// A fresh name for `raw`: normalized, suffixed `-2`, `-3`, ... when taken or a built-in.
    mutating func claim(_ raw: String) -> String {
        let base = Self.normalize(raw)
        var name = base
        var n = 2
        while taken.contains(name) || Self.builtins.contains(name) {
            name = "\(base)-\(n)"
            n += 1
        }
        taken.insert(name)
        return name
    }
}
