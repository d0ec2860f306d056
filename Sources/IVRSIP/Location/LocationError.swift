/// Why a SIP URI could not be located: "cannot locate sip:acme.example:
/// no SRV or A/AAAA records (…)".
public struct LocationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var uri: String
    public var why: String

    public init(uri: SIPURI, why: String) {
        self.uri = uri.description
        self.why = why
    }

    public var description: String { "cannot locate \(uri.prefix(200)): \(why)" }
}

/// Why a host name has no address: it has none, or no server answered.
public struct AddressLookupError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable { case noAddress, noAnswer }
    public var kind: Kind
    public var description: String
}
