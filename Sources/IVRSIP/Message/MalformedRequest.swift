/// Reads what it can from bytes the parser refused, to address a 400 (or
/// a 505): the request line must look like `METHOD URI SIP/x.y` (trailing
/// whitespace forgiven, RFC 4475 trws), and a usable top Via must say
/// where the answer goes (any SIP version, RFC 4475 badvers); From, To,
/// Call-ID and CSeq are copied back when present (RFC 4475 insuf).
/// Nothing is trusted beyond copying those lines back. Public for the
/// fuzzer (Fuzz/FuzzSIP).
public enum MalformedRequest {
    public static func salvage(_ bytes: some Collection<UInt8>) -> SIPHeaders? {
        let text = String(decoding: bytes.prefix(8192), as: UTF8.self)
        let lines = text.split(omittingEmptySubsequences: true) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        guard let first = lines.first.map({ String($0).trimmingSIPWhitespace() }), !first.hasPrefix("SIP/"), isVersion(first.split(separator: " ").last),
              let method = first.split(separator: " ").first, method != "ACK" else { return nil }
        var h = SIPHeaders()
        var seen = Set<String>()
        for line in lines.dropFirst().prefix(64) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = SIPHeaders.canonicalName(line[..<colon].trimmingCharacters(in: " \t"))
            guard ["Via", "From", "To", "Call-ID", "CSeq"].contains(name) else { continue }
            let value = String(line[line.index(after: colon)...]).trimmingSIPWhitespace()
            guard !value.isEmpty, value.count < 512, value.allSatisfy({ !$0.isNewline }) else { continue }
            if name != "Via", seen.contains(name) { continue }
            seen.insert(name)
            h.add(name, value)
        }
        guard h.values("Via").first.flatMap({ Via($0, anyVersion: true) }) != nil else { return nil }
        return h
    }

    /// `SIP/` and a version number (`2.0`, `7.0`...).
    static func isVersion(_ word: Substring?) -> Bool {
        guard let word, word.uppercased().hasPrefix("SIP/") else { return false }
        let number = word.dropFirst(4).split(separator: ".", omittingEmptySubsequences: false)
        return number.count == 2 && number.allSatisfy { !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isASCIIDigit) }
    }
}
