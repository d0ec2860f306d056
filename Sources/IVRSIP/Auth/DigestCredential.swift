/// A user name and password ivrc answers challenges with: the manifest's
/// `sip.credentials` (the password read from the environment variable the
/// manifest names). Its description never shows the password.
public struct DigestCredential: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The realm it answers; nil answers any realm.
    public var realm: String?
    public var user: String
    public var password: String

    public init(realm: String?, user: String, password: String) {
        self.realm = realm
        self.user = user
        self.password = password
    }

    public var description: String { "\(user)@\(realm ?? "any realm") (password hidden)" }
    public var debugDescription: String { description }

    func answers(_ challenge: DigestChallenge) -> Bool { realm == nil || realm == challenge.realm }

    /// The credential for `challenge`: one naming its realm, else one for any realm.
    static func pick(_ credentials: [DigestCredential], for challenge: DigestChallenge) -> DigestCredential? {
        credentials.first { $0.realm == challenge.realm } ?? credentials.first { $0.realm == nil }
    }
}
