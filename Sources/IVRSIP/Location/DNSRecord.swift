/// One resource record: its owner name (lower case, without the final
/// dot), time to live and decoded data.
public struct DNSRecord: Sendable, Equatable {
    public var name: String
    public var ttl: UInt32
    public var data: DNSRecordData

    public init(name: String, ttl: UInt32 = 0, data: DNSRecordData) {
        self.name = name
        self.ttl = ttl
        self.data = data
    }
}

/// The data of the record types server location reads.
public enum DNSRecordData: Sendable, Equatable {
    /// RFC 2782: priority (lower first), weight, port, target host name
    /// ("." when the service is not offered).
    case srv(priority: UInt16, weight: UInt16, port: UInt16, target: String)
    /// An IPv4 or IPv6 address in its text form.
    case a(String)
    case aaaa(String)
    case cname(String)
    /// Any other type (its number): read past, not decoded.
    case other(type: UInt16)
}

/// The record types ivrc asks for.
public enum DNSRecordType: UInt16, Sendable, CustomStringConvertible {
    case a = 1, cname = 5, aaaa = 28, srv = 33

    public var description: String {
        switch self {
        case .a: "A"
        case .cname: "CNAME"
        case .aaaa: "AAAA"
        case .srv: "SRV"
        }
    }
}
