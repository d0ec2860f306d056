/// Reads one SIP message from one UDP datagram (RFC 3261 section 7 and 18.3).
///
/// Lenient where RFC 4475 asks for tolerance: bare LF line ends, folded
/// header lines, any case and compact forms of names, spaces before the
/// colon, unknown methods and headers. Strict where the message would
/// otherwise be misread: a bad start line, a header line without a colon,
/// invalid UTF-8 in the header section, a `Content-Length` that is not a
/// number or exceeds the bytes received, conflicting lengths, missing
/// mandatory headers, a CSeq method unlike the request's.
public enum SIPParser {
    /// Bigger datagrams are refused (513) before any parsing.
    public static let maxMessageSize = 65_535
    public static let maxHeaderFields = 256

    ///
    /// `bytes` is any byte collection indexed by offsets: an `[UInt8]`, or
    /// the receive buffer itself (`ByteBuffer.readableBytesView`), which the
    /// parser reads in place. What it copies is what the message keeps: the
    /// header lines as strings and the body's bytes.
    public static func parse<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes) throws(SIPParseError) -> SIPMessage
    where Bytes.Index == Int {
        guard bytes.count <= maxMessageSize else { throw SIPParseError("message of \(bytes.count) bytes is too large", status: 513) }
        // Leading CRLFs are keep-alives / padding (RFC 3261 7.5).
        var start = bytes.startIndex
        while start < bytes.endIndex, bytes[start] == 13 || bytes[start] == 10 { start += 1 }
        guard start < bytes.endIndex else { throw SIPParseError("empty message") }
        let (headEnd, bodyStart) = findHeaderEnd(bytes, from: start)
        let lines = try unfold(bytes[start..<headEnd])
        guard let first = lines.first else { throw SIPParseError("empty message") }
        let startLine = try parseStartLine(first)
        var headers = SIPHeaders()
        guard lines.count - 1 <= maxHeaderFields else { throw SIPParseError("more than \(maxHeaderFields) header fields") }
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { throw SIPParseError("header line without a colon: \(line.prefix(40))") }
            let name = line[..<colon].trimmingCharacters(in: " \t")
            guard SIPGrammar.isToken(name) else { throw SIPParseError("bad header name '\(name.prefix(40))'") }
            let value = String(line[line.index(after: colon)...]).trimmingSIPWhitespace()
            headers.add(name, value)
        }
        var body = bodyStart.map { Array(bytes[$0...]) } ?? []
        let lengths = Set(headers.rawValues("Content-Length").map { $0.trimmingSIPWhitespace() })
        if lengths.count > 1 { throw SIPParseError("conflicting Content-Length values") }
        if let text = lengths.first {
            guard text.count <= 9, !text.isEmpty, text.allSatisfy(\.isASCIIDigit), let length = Int(text) else {
                throw SIPParseError("bad Content-Length '\(text.prefix(20))'")
            }
            guard length <= body.count else {
                throw SIPParseError("Content-Length \(length) exceeds the \(body.count) body bytes received")
            }
            body = Array(body.prefix(length))  // extra bytes in a datagram are discarded (18.3)
        }
        let message = SIPMessage(startLine, headers: headers, body: body)
        try validate(message)
        return message
    }

    /// The end of the header section and the start of the body (after the
    /// blank line), accepting CRLF or LF line ends.
    static func findHeaderEnd<Bytes: RandomAccessCollection<UInt8>>(_ b: Bytes, from start: Int) -> (Int, Int?)
    where Bytes.Index == Int {
        let end = b.endIndex
        var i = start
        while i < end {
            if b[i] == 10 {
                if i + 1 < end, b[i + 1] == 10 { return (i, i + 2) }
                if i + 2 < end, b[i + 1] == 13, b[i + 2] == 10 { return (i, i + 3) }
            }
            i += 1
        }
        return (end, nil)
    }

    /// Splits lines and joins folded ones (a line starting with SP or HT continues the previous).
    /// Lines are split on bytes (Swift treats CRLF as one `Character`) and
    /// must be valid UTF-8.
    static func unfold(_ head: some BidirectionalCollection<UInt8>) throws(SIPParseError) -> [String] {
        var lines: [String] = []
        for raw in head.split(separator: 10, omittingEmptySubsequences: false) {
            let bytes = raw.last == 13 ? raw.dropLast() : raw
            guard let line = String(validating: bytes, as: UTF8.self) else {
                throw SIPParseError("the header section is not valid UTF-8")
            }
            if line.isEmpty { continue }
            if line.first == " " || line.first == "\t" {
                guard lines.count > 1 else { throw SIPParseError("a continuation line before any header") }
                lines[lines.count - 1] += " " + line.trimmingSIPWhitespace()
            } else {
                lines.append(line)
            }
        }
        return lines
    }

    static func parseStartLine(_ line: String) throws(SIPParseError) -> SIPMessage.StartLine {
        if line.hasPrefix("SIP/") {
            let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count >= 2 else { throw SIPParseError("bad status line") }
            guard parts[0] == "SIP/2.0" else { throw SIPParseError("unsupported version \(parts[0].prefix(20))", status: 505) }
            guard parts[1].count == 3, parts[1].allSatisfy(\.isASCIIDigit), let status = Int(parts[1]), status >= 100 else {
                throw SIPParseError("bad status code '\(parts[1].prefix(10))'")
            }
            return .response(status: status, reason: parts.count == 3 ? String(parts[2]) : "")
        }
        let parts = line.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw SIPParseError("bad request line (expected METHOD URI SIP/2.0)") }
        guard SIPGrammar.isToken(parts[0]) else { throw SIPParseError("bad method '\(parts[0].prefix(20))'") }
        guard parts[2].uppercased().hasPrefix("SIP/") else { throw SIPParseError("bad request line version") }
        guard parts[2] == "SIP/2.0" else { throw SIPParseError("unsupported version \(parts[2].prefix(20))", status: 505) }
        let uri = String(parts[1])
        guard let colon = uri.firstIndex(of: ":"), colon != uri.startIndex,
              uri.allSatisfy({ $0.isASCII && !$0.isWhitespace && $0 != "<" && $0 != ">" }) else {
            throw SIPParseError("bad Request-URI '\(uri.prefix(40))'")
        }
        // Headers have no place in a Request-URI (RFC 3261 19.1.1; RFC 4475 escruri).
        let scheme = uri[..<colon].lowercased()
        let hostPart = uri[(uri.lastIndex(of: "@") ?? colon)...]  // a user part may hold '?'
        if scheme == "sip" || scheme == "sips", hostPart.contains("?") {
            throw SIPParseError("headers in the Request-URI '\(uri.prefix(40))'")
        }
        return .request(method: String(parts[0]), uri: uri)
    }

    static let singleValued = ["Call-ID", "CSeq", "From", "To", "Max-Forwards", "Content-Type"]

    /// The mandatory headers of RFC 3261 8.1.1 (Max-Forwards aside) and their syntax.
    static func validate(_ m: SIPMessage) throws(SIPParseError) {
        // Fields that hold one value must not come twice (RFC 3261 7.3.1; RFC 4475 multi01).
        for name in singleValued {
            let raw = m.headers.rawValues(name)
            let count = ["From", "To"].contains(name) ? raw.flatMap(SIPHeaders.splitList).count : raw.count
            if count > 1 { throw SIPParseError("\(name) appears \(count) times") }
        }
        guard let callID = m.callID, !callID.isEmpty else { throw SIPParseError("missing Call-ID") }
        guard let cseqText = m.headers["CSeq"] else { throw SIPParseError("missing CSeq") }
        guard let cseq = CSeq(cseqText) else { throw SIPParseError("bad CSeq '\(cseqText.prefix(40))'") }
        guard let fromText = m.headers["From"] else { throw SIPParseError("missing From") }
        guard NameAddress(fromText) != nil, NameAddress.isStrictlyValid(fromText) else { throw SIPParseError("bad From '\(fromText.prefix(60))'") }
        guard let toText = m.headers["To"] else { throw SIPParseError("missing To") }
        guard NameAddress(toText) != nil, NameAddress.isStrictlyValid(toText) else { throw SIPParseError("bad To '\(toText.prefix(60))'") }
        let vias = m.headers.values("Via")
        guard !vias.isEmpty else { throw SIPParseError("missing Via") }
        guard vias.allSatisfy({ Via($0) != nil }) else { throw SIPParseError("bad Via") }
        if case .request(let method, _) = m.startLine, cseq.method != method {
            throw SIPParseError("CSeq method \(cseq.method) does not match the request method \(method)")
        }
        if let mf = m.headers["Max-Forwards"], !(mf.count <= 10 && !mf.isEmpty && mf.allSatisfy(\.isASCIIDigit) && Int(mf)! <= 255) {
            throw SIPParseError("bad Max-Forwards '\(mf.prefix(20))'")
        }
        for contact in m.headers.values("Contact") where contact != "*" {
            guard NameAddress(contact) != nil, NameAddress.isStrictlyValid(contact) else {
                throw SIPParseError("bad Contact '\(contact.prefix(60))'")
            }
        }
        // SIP dates are in GMT (RFC 3261 20.17; RFC 4475 baddate).
        if let date = m.headers["Date"], !date.hasSuffix("GMT") {
            throw SIPParseError("Date '\(date.prefix(40))' is not in GMT")
        }
    }
}
