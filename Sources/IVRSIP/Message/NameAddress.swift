/// A `name-addr` or `addr-spec` with header parameters, as in `From`, `To`,
/// `Contact`, `Refer-To` (RFC 3261 20.10): `"Alice" <sip:a@b>;tag=1`.
public struct NameAddress: Sendable, Equatable, CustomStringConvertible {
    public var displayName: String?
    /// The URI as written (it may not be a SIP URI, e.g. `tel:`).
    public var uri: String
    /// Header parameters (after the `>`, or after the URI without brackets).
    public var parameters: [(name: String, value: String?)]

    public init(displayName: String? = nil, uri: String, parameters: [(name: String, value: String?)] = []) {
        self.displayName = displayName
        self.uri = uri
        self.parameters = parameters
    }

    public static func == (a: NameAddress, b: NameAddress) -> Bool { a.description == b.description }

    public init?(_ text: String) {
        var rest = Substring(text.trimmingSIPWhitespace())
        var display: String?
        if rest.hasPrefix("\"") {
            var name = ""
            var i = rest.index(after: rest.startIndex)
            var closed = false
            while i < rest.endIndex {
                let c = rest[i]
                if c == "\\" {
                    i = rest.index(after: i)
                    guard i < rest.endIndex else { return nil }
                    name.append(rest[i])
                } else if c == "\"" {
                    closed = true
                    break
                } else {
                    name.append(c)
                }
                i = rest.index(after: i)
            }
            guard closed else { return nil }
            display = name
            rest = rest[rest.index(after: i)...]
        }
        if let open = rest.firstIndex(of: "<") {
            let before = rest[..<open].trimmingCharacters(in: " \t")
            if display == nil, !before.isEmpty { display = before }
            guard let close = rest[open...].firstIndex(of: ">") else { return nil }
            uri = String(rest[rest.index(after: open)..<close]).trimmingSIPWhitespace()
            rest = rest[rest.index(after: close)...]
        } else {
            guard display == nil else { return nil }
            let end = rest.firstIndex(of: ";") ?? rest.endIndex
            uri = String(rest[..<end]).trimmingSIPWhitespace()
            rest = rest[end...]
        }
        guard !uri.isEmpty, uri.contains(":") || uri == "*" else { return nil }
        displayName = display
        parameters = rest.split(separator: ";").compactMap { p in
            let kv = p.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = kv[0].trimmingCharacters(in: " \t").lowercased()
            guard !name.isEmpty else { return nil }
            return (name, kv.count == 2 ? kv[1].trimmingCharacters(in: " \t") : nil)
        }
    }

    /// The stricter grammar of RFC 3261 25.1 that `init` forgives: an
    /// unquoted display name is tokens only (RFC 4475 baddn), nothing but
    /// the URI between `<` and `>` (badaspec), and a URI holding `?`, `,`
    /// or `;` must be in angle brackets (regbadct).
    static func isStrictlyValid(_ text: String) -> Bool {
        var rest = Substring(text.trimmingSIPWhitespace())
        if rest.hasPrefix("\"") {
            var i = rest.index(after: rest.startIndex)
            while i < rest.endIndex, rest[i] != "\"" {
                if rest[i] == "\\" { i = rest.index(after: i) }
                if i < rest.endIndex { i = rest.index(after: i) }
            }
            guard i < rest.endIndex else { return false }
            rest = rest[rest.index(after: i)...]
            guard rest.trimmingCharacters(in: " \t").hasPrefix("<") else { return false }
        }
        if let open = rest.firstIndex(of: "<") {
            let display = rest[..<open].split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard display.allSatisfy({ SIPGrammar.isToken($0) }), let close = rest[open...].firstIndex(of: ">") else { return false }
            return !rest[rest.index(after: open)..<close].contains { $0 == " " || $0 == "\t" }
        }
        let uri = rest.prefix { $0 != ";" }.trimmingCharacters(in: " \t")
        return !uri.contains { $0 == "?" || $0 == " " || $0 == "\t" || $0 == "," }
    }

    public var tag: String? {
        parameters.first { $0.name == "tag" }?.value
    }

    public var sipURI: SIPURI? { SIPURI(uri) }

    public var description: String {
        var s = ""
        if let displayName { s += "\"" + displayName.replacingAll("\\", "\\\\").replacingAll("\"", "\\\"") + "\" " }
        s += "<" + uri + ">"
        for p in parameters { s += ";" + p.name + (p.value.map { "=" + $0 } ?? "") }
        return s
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }

    func replacingAll(_ target: Character, _ replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
