/// One `Via` value (RFC 3261 20.42): `SIP/2.0/UDP host:port;branch=z9hG4bK...`.
public struct Via: Sendable, Equatable, CustomStringConvertible {
    public var transport: String
    public var host: String
    public var port: Int?
    public var parameters: [(name: String, value: String?)]

    public init(transport: String = "UDP", host: String, port: Int?, branch: String) {
        self.transport = transport
        self.host = host
        self.port = port
        self.parameters = [("branch", branch), ("rport", nil)]
    }

    public static func == (a: Via, b: Via) -> Bool { a.description == b.description }

    /// Parses one value; nil when the protocol is not `SIP/2.0/...` or the
    /// sent-by is missing. Spaces around `/`, `;`, `=` are allowed (RFC 4475 wsinv).
    public init?(_ text: String) { self.init(text, anyVersion: false) }

    /// `anyVersion` also reads `SIP/7.0/UDP ...`, to address a 505.
    public init?(_ text: String, anyVersion: Bool) {
        let parts = text.split(separator: ";", omittingEmptySubsequences: false)
        guard let first = parts.first else { return nil }
        // "SIP / 2.0 / UDP host:port" with optional spaces around the slashes.
        let compact = first.split(separator: "/", maxSplits: 2).map { $0.trimmingCharacters(in: " \t") }
        guard compact.count == 3, compact[0].uppercased() == "SIP", anyVersion || compact[1] == "2.0" else { return nil }
        let tail = compact[2].split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard tail.count >= 2 else { return nil }
        transport = tail[0].uppercased()
        let sentBy = tail.dropFirst().joined()
        if sentBy.hasPrefix("[") {
            guard let close = sentBy.firstIndex(of: "]") else { return nil }
            host = String(sentBy[...close])
            let after = sentBy[sentBy.index(after: close)...]
            port = after.hasPrefix(":") ? Int(after.dropFirst()) : nil
        } else {
            let hp = sentBy.split(separator: ":", maxSplits: 1)
            guard let h = hp.first else { return nil }
            host = String(h)
            port = hp.count == 2 ? Int(hp[1]) : nil
        }
        guard !host.isEmpty, !transport.isEmpty else { return nil }
        parameters = parts.dropFirst().compactMap { p in
            let kv = p.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = kv[0].trimmingCharacters(in: " \t").lowercased()
            guard !name.isEmpty else { return nil }
            return (name, kv.count == 2 ? kv[1].trimmingCharacters(in: " \t") : nil)
        }
    }

    public var branch: String? { parameters.first { $0.name == "branch" }?.value ?? nil }

    public func parameter(_ name: String) -> String?? {
        guard let p = parameters.first(where: { $0.name == name }) else { return nil }
        return .some(p.value)
    }

    public mutating func setParameter(_ name: String, _ value: String?) {
        if let i = parameters.firstIndex(where: { $0.name == name }) {
            parameters[i].value = value
        } else {
            parameters.append((name, value))
        }
    }

    public var description: String {
        var s = "SIP/2.0/\(transport) \(host)"
        if let port { s += ":\(port)" }
        for p in parameters { s += ";" + p.name + (p.value.map { "=" + $0 } ?? "") }
        return s
    }
}
