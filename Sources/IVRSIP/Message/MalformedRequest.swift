/// Reads what it can from bytes the parser refused, to address a 400:
/// the request line must look like a request, and Via, From, To, Call-ID
/// and CSeq must all be present as lines. Nothing is trusted beyond
/// copying those lines back. Public for the fuzzer (Fuzz/FuzzSIP).
public enum MalformedRequest {
    public static func salvage(_ bytes: some Collection<UInt8>) -> SIPHeaders? {
        let text = String(decoding: bytes.prefix(8192), as: UTF8.self)
        let lines = text.split(omittingEmptySubsequences: true) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        guard let first = lines.first, first.hasSuffix("SIP/2.0") || first.hasSuffix("SIP/2.0\r"),
              !first.hasPrefix("SIP/"), let method = first.split(separator: " ").first, method != "ACK" else { return nil }
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
        guard seen.count == 5, h.values("Via").first.flatMap(Via.init) != nil else { return nil }
        return h
    }
}
