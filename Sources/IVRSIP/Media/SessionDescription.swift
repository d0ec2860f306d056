/// A parsed SDP body (RFC 4566), reduced to what audio offer/answer needs:
/// the connection address, and per media line its port, payload types,
/// `rtpmap`s, `ptime`, direction and SDES `crypto` attributes.
public struct SessionDescription: Sendable, Equatable {
    /// Crypto attributes kept per media line; more are ignored.
    static let maxCryptos = 16

    /// Media direction (RFC 3264 section 5.1).
    public enum Direction: String, Sendable, Equatable {
        case sendrecv, sendonly, recvonly, inactive

        /// What the answerer says in reply to this direction.
        public var answer: Direction {
            switch self {
            case .sendrecv: .sendrecv
            case .sendonly: .recvonly
            case .recvonly: .sendonly
            case .inactive: .inactive
            }
        }
    }

    /// One `a=rtpmap:PT NAME/RATE[/CHANNELS]`.
    public struct RTPMap: Sendable, Equatable {
        public var payloadType: Int
        public var encoding: String
        public var clockRate: Int
    }

    /// One `m=` section.
    public struct Media: Sendable, Equatable {
        public var type: String
        public var port: Int
        public var proto: String
        /// Format strings as written (payload type numbers for RTP/AVP).
        public var formats: [String]
        public var rtpMaps: [RTPMap] = []
        public var connection: String?
        public var ptime: Int?
        public var direction: Direction?
        /// `a=crypto:` values (RFC 4568), as written and in order; read by
        /// `SDESCrypto`. At most `maxCryptos` are kept.
        public var cryptos: [String] = []

        public var payloadTypes: [Int] { formats.compactMap { Int($0) }.filter { (0...127).contains($0) } }

        /// The encoding of a payload type: its rtpmap, else the static table (RFC 3551).
        public func encoding(of pt: Int) -> (name: String, rate: Int)? {
            if let map = rtpMaps.first(where: { $0.payloadType == pt }) { return (map.encoding.uppercased(), map.clockRate) }
            switch pt {
            case 0: return ("PCMU", 8000)
            case 8: return ("PCMA", 8000)
            default: return nil
            }
        }
    }

    public var origin: String?
    public var connection: String?
    public var direction: Direction?
    public var media: [Media] = []

    public init() {}

    /// Parses SDP text; throws for missing `v=`, bad `m=`/`c=` lines, or a body that is too big.
    public init(parsing bytes: [UInt8]) throws(SIPParseError) {
        guard bytes.count <= 16_384 else { throw SIPParseError("SDP body too large") }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw SIPParseError("SDP is not UTF-8") }
        var sawVersion = false
        for raw in text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : Substring(raw)
            guard line.count >= 2, line[line.index(after: line.startIndex)] == "=" else { continue }
            let key = line.first ?? " "
            let value = String(line.dropFirst(2))
            switch key {
            case "v": sawVersion = true
            case "o": origin = value
            case "c":
                let address = try Self.connectionAddress(value)
                if media.isEmpty { connection = address } else { media[media.count - 1].connection = address }
            case "m":
                let parts = value.split(separator: " ")
                guard parts.count >= 3, let port = Int(parts[1].split(separator: "/").first ?? ""), (0...65535).contains(port) else {
                    throw SIPParseError("bad SDP media line 'm=\(value.prefix(60))'")
                }
                media.append(Media(type: String(parts[0]), port: port, proto: String(parts[2]), formats: parts.dropFirst(3).map(String.init)))
            case "a": attribute(value)
            default: break
            }
            if media.count > 16 { throw SIPParseError("too many SDP media lines") }
        }
        guard sawVersion else { throw SIPParseError("SDP without v=") }
    }

    mutating func attribute(_ value: String) {
        let (name, arg) = value.split(separator: ":", maxSplits: 1).map(String.init).pair
        if let dir = Direction(rawValue: name) {
            if media.isEmpty { direction = dir } else { media[media.count - 1].direction = dir }
            return
        }
        guard !media.isEmpty, let arg else { return }
        switch name {
        case "rtpmap":
            let parts = arg.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, let pt = Int(parts[0]) else { return }
            let enc = parts[1].split(separator: "/")
            guard enc.count >= 2, let rate = Int(enc[1]) else { return }
            media[media.count - 1].rtpMaps.append(RTPMap(payloadType: pt, encoding: String(enc[0]), clockRate: rate))
        case "ptime":
            media[media.count - 1].ptime = Int(arg.trimmingSIPWhitespace())
        case "crypto":
            if media[media.count - 1].cryptos.count < Self.maxCryptos { media[media.count - 1].cryptos.append(arg) }
        default: break
        }
    }

    static func connectionAddress(_ value: String) throws(SIPParseError) -> String {
        let parts = value.split(separator: " ")
        guard parts.count == 3, parts[0] == "IN", parts[1] == "IP4" || parts[1] == "IP6" else {
            throw SIPParseError("bad SDP connection line 'c=\(value.prefix(60))'")
        }
        return String(parts[2].split(separator: "/").first ?? parts[2])
    }

    /// The effective direction of a media line (media-level, else session-level, else sendrecv).
    public func direction(of m: Media) -> Direction {
        let stated = m.direction ?? direction ?? .sendrecv
        // RFC 2543-style hold: "do not send to me".
        if (m.connection ?? connection) == "0.0.0.0" { return stated == .inactive || stated == .recvonly ? .inactive : .sendonly }
        return stated
    }
}

extension Array where Element == String {
    var pair: (String, String?) { (first ?? "", count > 1 ? self[1] : nil) }
}
