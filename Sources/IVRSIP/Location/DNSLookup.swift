/// Asks DNS for the records of one name and type. `ResolverLookup` is
/// the real one (libresolv); tests give canned answers.
public protocol DNSLookup: Sendable {
    func query(_ name: String, _ type: DNSRecordType) async throws(DNSLookupError) -> DNSAnswer
}

/// What a DNS server said about a name and type.
public enum DNSAnswer: Sendable, Equatable {
    /// The response (answer and additional sections).
    case message(DNSMessage)
    /// NXDOMAIN: the name does not exist.
    case noSuchName
    /// The name exists but has no record of the type.
    case noRecords
}

/// A lookup that got no usable answer: no server answered, it refused,
/// or its answer was not a DNS message.
public struct DNSLookupError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
