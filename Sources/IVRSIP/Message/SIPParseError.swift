/// Why bytes are not a SIP message. `status` is the response a server sends
/// for a request it could read far enough to answer (RFC 3261 says 400 for
/// most, 505 for a wrong version, 413/513 for size).
public struct SIPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var status: Int

    public init(_ message: String, status: Int = 400) {
        self.message = message
        self.status = status
    }

    public var description: String { message }
}
