/// A SIP request or response (RFC 3261 section 7): a start line, header
/// fields and an optional body.
public struct SIPMessage: Sendable, Equatable {
    /// The first line of a message.
    public enum StartLine: Sendable, Equatable {
        case request(method: String, uri: String)
        case response(status: Int, reason: String)
    }

    public var startLine: StartLine
    public var headers: SIPHeaders
    public var body: [UInt8]
    /// Where a received message came from (its transport, and over TCP or
    /// TLS its connection); not part of the message's text. Nil for
    /// messages built here.
    public var source: SIPPeer?
    /// The UDP listener a received message came in on (as bound); nil for
    /// messages built here and those of TCP and TLS connections (see
    /// `SIPEndpoint.listener(of:from:)`). Not part of the message's text.
    public var arrival: SIPListenAddress?

    public init(_ startLine: StartLine, headers: SIPHeaders = SIPHeaders(), body: [UInt8] = []) {
        self.startLine = startLine
        self.headers = headers
        self.body = body
    }

    /// A request with the given method and Request-URI.
    public static func request(_ method: String, uri: String, headers: SIPHeaders = SIPHeaders(), body: [UInt8] = []) -> SIPMessage {
        SIPMessage(.request(method: method, uri: uri), headers: headers, body: body)
    }

    public var isRequest: Bool {
        if case .request = startLine { return true }
        return false
    }

    /// The request's method, or the CSeq method of a response.
    public var method: String {
        switch startLine {
        case .request(let method, _): method
        case .response: cseq?.method ?? ""
        }
    }

    /// The message with its top Via's sent-protocol naming `transport`
    /// (its branch and parameters unchanged).
    func withTopViaTransport(_ transport: SIPTransport) -> SIPMessage {
        let raw = headers.rawValues("Via")
        guard var top = raw.first.flatMap({ Via($0) }) else { return self }
        top.transport = transport.viaName
        var copy = self
        copy.headers.remove("Via")
        copy.headers.add("Via", top.description)
        for via in raw.dropFirst() { copy.headers.add("Via", via) }
        return copy
    }

    public var requestURI: String? {
        if case .request(_, let uri) = startLine { return uri }
        return nil
    }

    public var status: Int? {
        if case .response(let status, _) = startLine { return status }
        return nil
    }

    public var callID: String? { headers["Call-ID"] }

    public var cseq: CSeq? { headers["CSeq"].flatMap(CSeq.init) }

    /// The parsed `Via` values, topmost first.
    public var vias: [Via] { headers.values("Via").compactMap(Via.init) }

    public var from: NameAddress? { headers["From"].flatMap(NameAddress.init) }

    public var to: NameAddress? { headers["To"].flatMap(NameAddress.init) }

    /// The body's media type, lower-cased, without parameters.
    public var contentType: String? {
        guard let value = headers["Content-Type"] else { return nil }
        let type = value.split(separator: ";", maxSplits: 1).first.map(String.init) ?? value
        return type.trimmingSIPWhitespace().lowercased()
    }

    /// The wire form: CRLF line ends, long header names, and a
    /// `Content-Length` that always matches the body.
    public func serialized() -> [UInt8] {
        var text: String
        switch startLine {
        case .request(let method, let uri): text = "\(method) \(uri) SIP/2.0\r\n"
        case .response(let status, let reason): text = "SIP/2.0 \(status) \(reason)\r\n"
        }
        for field in headers where field.name != "Content-Length" {
            text += "\(field.name): \(field.value)\r\n"
        }
        text += "Content-Length: \(body.count)\r\n\r\n"
        return Array(text.utf8) + body
    }

    /// A response to this request (RFC 3261 8.2.6): Via, From, To, Call-ID
    /// and CSeq copied; a `tag` added to `To` when given and not present.
    public func response(_ status: Int, _ reason: String? = nil, toTag: String? = nil) -> SIPMessage {
        var h = SIPHeaders()
        for via in headers.rawValues("Via") { h.add("Via", via) }
        if let from = headers["From"] { h.add("From", from) }
        if var to = headers["To"] {
            if let toTag, NameAddress(to)?.tag == nil { to += ";tag=\(toTag)" }
            h.add("To", to)
        }
        if let callID { h.add("Call-ID", callID) }
        if let cseq = headers["CSeq"] { h.add("CSeq", cseq) }
        return SIPMessage(.response(status: status, reason: reason ?? SIPMessage.reasonPhrase(status)), headers: h)
    }

    /// The RFC 3261 reason phrase for the status codes this server sends.
    public static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 100: "Trying"
        case 180: "Ringing"
        case 200: "OK"
        case 202: "Accepted"
        case 400: "Bad Request"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 406: "Not Acceptable"
        case 408: "Request Timeout"
        case 413: "Request Entity Too Large"
        case 415: "Unsupported Media Type"
        case 416: "Unsupported URI Scheme"
        case 420: "Bad Extension"
        case 481: "Call/Transaction Does Not Exist"
        case 482: "Loop Detected"
        case 486: "Busy Here"
        case 487: "Request Terminated"
        case 488: "Not Acceptable Here"
        case 491: "Request Pending"
        case 500: "Server Internal Error"
        case 501: "Not Implemented"
        case 503: "Service Unavailable"
        case 505: "Version Not Supported"
        case 513: "Message Too Large"
        default: status < 300 ? "OK" : "Error"
        }
    }
}
