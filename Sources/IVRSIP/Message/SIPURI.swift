/// A `sip:`/`sips:` URI (RFC 3261 19.1), split into the parts this server
/// uses: user, host, port and parameters. Escapes in the user part are
/// decoded (`%2B1234` is `+1234`).
public struct SIPURI: Sendable, Equatable, CustomStringConvertible {
    public var scheme: String
    public var user: String?
    public var host: String
    public var port: Int?
    /// `;name=value` parameters, names lower-cased, in order.
    public var parameters: [(name: String, value: String?)]
    /// The `?headers` part as written, without the `?`.
    public var headers: String?

    public init(scheme: String = "sip", user: String?, host: String, port: Int? = nil) {
        self.scheme = scheme
        self.user = user
        self.host = host
        self.port = port
        self.parameters = []
    }

    public static func == (a: SIPURI, b: SIPURI) -> Bool { a.description == b.description }

    /// Parses a URI; nil when it is not `sip:`/`sips:`, has no host, or has
    /// a bad port or escape.
    public init?(_ text: String) {
        let trimmed = text.trimmingSIPWhitespace()
        guard let colon = trimmed.firstIndex(of: ":") else { return nil }
        let scheme = trimmed[..<colon].lowercased()
        guard scheme == "sip" || scheme == "sips" else { return nil }
        self.scheme = scheme
        var rest = Substring(trimmed[trimmed.index(after: colon)...])
        if let q = rest.firstIndex(of: "?") {
            headers = String(rest[rest.index(after: q)...])
            rest = rest[..<q]
        } else {
            headers = nil
        }
        // The user part may hold ';' (RFC 4475 semiuri), so split it off first.
        if let at = rest.lastIndex(of: "@") {
            let userinfo = rest[..<at]
            let userText = userinfo.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            guard let decoded = SIPURI.percentDecode(userText) else { return nil }
            user = decoded
            rest = rest[rest.index(after: at)...]
        } else {
            user = nil
        }
        let pieces = rest.split(separator: ";", omittingEmptySubsequences: false)
        guard let hostport = pieces.first, !hostport.isEmpty else { return nil }
        if hostport.hasPrefix("[") {
            guard let close = hostport.firstIndex(of: "]") else { return nil }
            host = String(hostport[...close])
            let after = hostport[hostport.index(after: close)...]
            if after.isEmpty { port = nil } else {
                guard after.hasPrefix(":"), let p = Int(after.dropFirst()), (1...65535).contains(p) else { return nil }
                port = p
            }
        } else {
            let hp = hostport.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            host = String(hp[0])
            if hp.count == 2 {
                guard hp[1].count <= 5, let p = Int(hp[1]), (1...65535).contains(p) else { return nil }
                port = p
            } else {
                port = nil
            }
        }
        guard !host.isEmpty, host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || ".-_[]:".contains($0)) })
        else { return nil }
        parameters = pieces.dropFirst().map { p in
            let kv = p.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (kv[0].lowercased(), kv.count == 2 ? String(kv[1]) : nil)
        }
    }

    public func parameter(_ name: String) -> String?? {
        guard let p = parameters.first(where: { $0.name == name.lowercased() }) else { return nil }
        return .some(p.value)
    }

    public var description: String {
        var s = scheme + ":"
        if let user { s += SIPURI.percentEncodeUser(user) + "@" }
        s += host
        if let port { s += ":\(port)" }
        for p in parameters { s += ";" + p.name + (p.value.map { "=" + $0 } ?? "") }
        if let headers { s += "?" + headers }
        return s
    }

    static func percentDecode(_ s: some StringProtocol) -> String? {
        var bytes: [UInt8] = []
        var it = Array(s.utf8).makeIterator()
        while let b = it.next() {
            if b == UInt8(ascii: "%") {
                guard let h = it.next(), let l = it.next(), let hv = hexValue(h), let lv = hexValue(l) else { return nil }
                bytes.append(hv << 4 | lv)
            } else {
                bytes.append(b)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Escapes what may not appear unescaped in a user part.
    static func percentEncodeUser(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            let c = Character(Unicode.Scalar(b))
            if b < 0x80, c.isLetter || c.isNumber || "-_.!~*'()&=+$,;?/".contains(c) {
                out.append(c)
            } else {
                out += "%" + String(b, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
