/// The form of a `sip.inbound.allow` entry, checked without a network
/// library: an IPv4 address (four decimal parts 0-255, no leading zeros) or
/// an IPv6 address (RFC 4291 2.2 text forms, an IPv4 tail included), with
/// an optional `/prefix` no longer than the address. IVRSIP's `CIDRBlock`
/// reads the same texts (a test compares both on a table of cases).
public enum CIDRNotation {
    /// Why `text` is not a CIDR block, or nil when it is one.
    public static func problem(_ text: String) -> String? {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let address = parts[0]
        let bits: Int
        if isIPv4(address) { bits = 32 } else if isIPv6(address) { bits = 128 } else {
            return "'\(address)' is not an IPv4 or IPv6 address"
        }
        guard parts.count == 2 else { return nil }
        let prefix = parts[1]
        guard !prefix.isEmpty, prefix.count <= 3, prefix.allSatisfy(isDigit), let n = Int(prefix), n <= bits else {
            return "the prefix length after '/' must be a number from 0 to \(bits)"
        }
        return nil
    }

    static func isDigit(_ c: Character) -> Bool { c.isASCII && c.isNumber }

    static func isIPv4(_ s: Substring) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { p in
            (1...3).contains(p.count) && p.allSatisfy(isDigit) && (p.count == 1 || p.first != "0")
                && Int(p).map { $0 <= 255 } == true
        }
    }

    static func isIPv6(_ s: Substring) -> Bool {
        guard s.count <= 45, s.contains(":") else { return false }
        var groups = 0
        var text = s
        // An IPv4 tail is two groups.
        if let lastColon = s.lastIndex(of: ":"), s[s.index(after: lastColon)...].contains(".") {
            guard isIPv4(s[s.index(after: lastColon)...]) else { return false }
            groups += 2
            text = s[...lastColon]
            // `::1.2.3.4` leaves "::"; `1::2:1.2.3.4` leaves "1::2:": drop the separator colon.
            if !text.hasSuffix("::") { text = text.dropLast() }
        }
        let halves = text.split(separator: "::", omittingEmptySubsequences: false)
        guard halves.count <= 2 else { return false }
        for half in halves where !half.isEmpty {
            for group in half.split(separator: ":", omittingEmptySubsequences: false) {
                guard (1...4).contains(group.count), group.allSatisfy(\.isHexDigit) else { return false }
                groups += 1
            }
        }
        return halves.count == 2 ? groups <= 7 : groups == 8
    }
}
