/// Finds SIP messages in a byte stream (RFC 3261 18.3: over TCP and TLS a
/// message ends where its `Content-Length` says) and the keep-alives of RFC
/// 5626 3.5.1 between them. Pure: bytes in, one `Frame` out; the NIO
/// decoder (`SIPStreamDecoder`) consumes what it names and asks again.
///
/// Bounded: a header section longer than `Limits.maxHeaderBytes` without
/// its blank line, or a `Content-Length` over `Limits.maxBodyBytes`, is
/// `invalid` at once, so a hostile peer cannot make the buffer grow past
/// those limits. A message without `Content-Length` has no body (the
/// header is mandatory on streams; a stream cannot be framed without it).
public enum SIPStreamFramer {
    public struct Limits: Sendable, Equatable {
        /// The start line and header fields, up to and including the blank line.
        public var maxHeaderBytes: Int
        public var maxBodyBytes: Int

        public init(maxHeaderBytes: Int = 16_384, maxBodyBytes: Int = 32_768) {
            self.maxHeaderBytes = maxHeaderBytes
            self.maxBodyBytes = maxBodyBytes
        }
    }

    public enum Frame: Sendable, Equatable {
        /// A whole message: the first `length` bytes.
        case message(length: Int)
        /// A keep-alive ping (CRLF CRLF): consume `length` bytes, answer CRLF.
        case ping(length: Int)
        /// Line ends between messages (a peer's pong, padding): consume them.
        case skip(length: Int)
        /// Not enough bytes yet. `idle`: what is buffered is only line ends,
        /// so no message has started (no slow-sender clock should run).
        case needMore(idle: Bool)
        /// The stream cannot be framed any further: close the connection.
        case invalid(String)
    }

    public static func next<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, limits: Limits = Limits()) -> Frame
    where Bytes.Index == Int {
        let start = bytes.startIndex, end = bytes.endIndex
        var i = start
        while i < end, bytes[i] == 13 || bytes[i] == 10 { i += 1 }
        let lineEnds = i - start
        if lineEnds >= 4, bytes[start] == 13, bytes[start + 1] == 10, bytes[start + 2] == 13, bytes[start + 3] == 10 {
            return .ping(length: 4)
        }
        if i == end { return lineEnds > 64 ? .skip(length: lineEnds) : .needMore(idle: true) }
        if lineEnds > 0 { return .skip(length: lineEnds) }
        // The header section ends at the first empty line (CRLF CRLF, or LF LF as the parser tolerates).
        let searchEnd = min(end, start + limits.maxHeaderBytes)
        var headerEnd: Int?
        var j = start
        while j < searchEnd {
            if bytes[j] == 10 {
                if j + 1 < end, bytes[j + 1] == 10 { headerEnd = j + 2; break }
                if j + 2 < end, bytes[j + 1] == 13, bytes[j + 2] == 10 { headerEnd = j + 3; break }
            }
            j += 1
        }
        // The blank line's own bytes count too: a section ending past the limit is over it.
        guard let headerEnd, headerEnd - start <= limits.maxHeaderBytes else {
            return bytes.count >= limits.maxHeaderBytes
                ? .invalid("header section over \(limits.maxHeaderBytes) bytes") : .needMore(idle: false)
        }
        let length: Int
        switch contentLength(bytes[start..<headerEnd]) {
        case .none: length = 0
        case .some(.success(let n)): length = n
        case .some(.failure(let why)): return .invalid(why.text)
        }
        guard length <= limits.maxBodyBytes else {
            return .invalid("Content-Length \(length) is over the \(limits.maxBodyBytes)-byte limit")
        }
        let total = headerEnd - start + length
        return bytes.count >= total ? .message(length: total) : .needMore(idle: false)
    }

    struct Refusal: Error { let text: String }

    /// The `Content-Length` (or compact `l`) of a header section: nil when
    /// absent; a failure when it is not a number or two values disagree.
    static func contentLength<Bytes: RandomAccessCollection<UInt8>>(_ head: Bytes) -> Result<Int, Refusal>?
    where Bytes.Index == Int {
        var found: Int?
        var lineStart = head.startIndex
        while lineStart < head.endIndex {
            var lineEnd = lineStart
            while lineEnd < head.endIndex, head[lineEnd] != 10 { lineEnd += 1 }
            if let value = lengthValue(head[lineStart..<lineEnd]) {
                guard let n = value else { return .failure(Refusal(text: "bad Content-Length")) }
                if let found, found != n { return .failure(Refusal(text: "conflicting Content-Length values")) }
                found = n
            }
            lineStart = lineEnd + 1
        }
        return found.map { .success($0) }
    }

    private static func lower(_ byte: UInt8) -> UInt8 { (65...90).contains(byte) ? byte + 32 : byte }

    /// For a `Content-Length:` / `l:` line: .some(number) or .some(nil) when
    /// the value is not 1-9 digits; nil for any other line.
    private static func lengthValue<Line: RandomAccessCollection<UInt8>>(_ line: Line) -> Int?? where Line.Index == Int {
        guard let colon = line.firstIndex(of: 58) else { return nil }
        var nameEnd = colon
        while nameEnd > line.startIndex, line[nameEnd - 1] == 32 || line[nameEnd - 1] == 9 { nameEnd -= 1 }
        let name = line[line.startIndex..<nameEnd]
        let long = Array("content-length".utf8)
        let isLength: Bool
        if name.count == 1 {
            isLength = lower(name[name.startIndex]) == UInt8(ascii: "l")
        } else if name.count == long.count {
            isLength = zip(name, long).allSatisfy { lower($0) == $1 }
        } else {
            isLength = false
        }
        guard isLength else { return nil }
        var digits = 0, value = 0, k = colon + 1
        while k < line.endIndex, line[k] == 32 || line[k] == 9 { k += 1 }
        while k < line.endIndex, line[k] >= 48, line[k] <= 57 {
            digits += 1
            guard digits <= 9 else { return .some(nil) }
            value = value * 10 + Int(line[k] - 48)
            k += 1
        }
        while k < line.endIndex, line[k] == 32 || line[k] == 9 || line[k] == 13 { k += 1 }
        return digits > 0 && k == line.endIndex ? .some(value) : .some(nil)
    }
}
