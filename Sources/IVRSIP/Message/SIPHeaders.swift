/// The header fields of a SIP message, in order, with case-insensitive names
/// and RFC 3261 compact forms (section 7.3.3) expanded to their long names on
/// the way in. Values are kept as written (unfolded, trimmed); list-valued
/// headers (`Via: a, b`) are split on demand by `values(_:)`.
public struct SIPHeaders: Sendable, Equatable, Sequence {
    /// One field: the canonical name and the raw value.
    public struct Field: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = SIPHeaders.canonicalName(name)
            self.value = value
        }
    }

    public private(set) var fields: [Field] = []

    public init() {}

    public init(_ pairs: [(String, String)]) {
        for (name, value) in pairs { add(name, value) }
    }

    public func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }

    /// The first value of `name` (any spelling or compact form).
    public subscript(name: String) -> String? {
        let key = SIPHeaders.key(name)
        return fields.first { SIPHeaders.key($0.name) == key }?.value
    }

    /// Every value of `name`, with comma-joined lists split (outside quotes
    /// and angle brackets), in order.
    public func values(_ name: String) -> [String] {
        let key = SIPHeaders.key(name)
        return fields.filter { SIPHeaders.key($0.name) == key }.flatMap { SIPHeaders.splitList($0.value) }
    }

    /// Every field of `name` as written (one per header line).
    public func rawValues(_ name: String) -> [String] {
        let key = SIPHeaders.key(name)
        return fields.filter { SIPHeaders.key($0.name) == key }.map(\.value)
    }

    public mutating func add(_ name: String, _ value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// Replaces every field of `name` with one value (appended at the end
    /// when there was none).
    public mutating func set(_ name: String, _ value: String) {
        let key = SIPHeaders.key(name)
        if let first = fields.firstIndex(where: { SIPHeaders.key($0.name) == key }) {
            fields[first].value = value
            var i = fields.count - 1
            while i > first {
                if SIPHeaders.key(fields[i].name) == key { fields.remove(at: i) }
                i -= 1
            }
        } else {
            add(name, value)
        }
    }

    public mutating func remove(_ name: String) {
        let key = SIPHeaders.key(name)
        fields.removeAll { SIPHeaders.key($0.name) == key }
    }

    /// RFC 3261 compact forms plus a few common extensions (RFC 3515 `r`, RFC 3892 `b`...).
    static let compactForms: [String: String] = [
        "i": "Call-ID", "m": "Contact", "e": "Content-Encoding", "l": "Content-Length",
        "c": "Content-Type", "f": "From", "s": "Subject", "k": "Supported", "t": "To",
        "v": "Via", "r": "Refer-To", "b": "Referred-By", "o": "Event", "u": "Allow-Events",
        "x": "Session-Expires", "a": "Accept-Contact", "j": "Reject-Contact", "d": "Request-Disposition",
    ]

    /// Names whose usual capitalisation is not plain Title-Case.
    static let spellings: [String: String] = [
        "call-id": "Call-ID", "cseq": "CSeq", "www-authenticate": "WWW-Authenticate", "mime-version": "MIME-Version",
    ]

    /// The long, conventionally capitalised form of a header name.
    public static func canonicalName(_ name: String) -> String {
        let lower = name.lowercased()
        if lower.count == 1, let long = compactForms[lower] { return long }
        if let spelled = spellings[lower] { return spelled }
        return lower.split(separator: "-", omittingEmptySubsequences: false)
            .map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: "-")
    }

    static func key(_ name: String) -> String { canonicalName(name).lowercased() }

    /// Splits `a, "b, c" <sip:x>, d` at top-level commas.
    static func splitList(_ value: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var inQuotes = false, inAngle = false, escaped = false
        for ch in value {
            if escaped { current.append(ch); escaped = false; continue }
            switch ch {
            case "\\" where inQuotes: escaped = true; current.append(ch)
            case "\"": inQuotes.toggle(); current.append(ch)
            case "<" where !inQuotes: inAngle = true; current.append(ch)
            case ">" where !inQuotes: inAngle = false; current.append(ch)
            case "," where !inQuotes && !inAngle:
                parts.append(current.trimmingSIPWhitespace())
                current = ""
            default: current.append(ch)
            }
        }
        parts.append(current.trimmingSIPWhitespace())
        return parts.filter { !$0.isEmpty }
    }
}

extension String {
    /// Trims spaces and tabs (SIP linear white space after unfolding).
    func trimmingSIPWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" || f == "\n" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" || l == "\n" { s = s.dropLast() }
        return String(s)
    }
}
