/// One binding `serve` keeps at a registrar (the manifest's
/// `sip.register` entry, RFC 3261 10).
public struct RegistrationSettings: Sendable, Equatable {
    public var registrar: SIPURI
    /// The address of record: To and From of the REGISTER.
    public var aor: SIPURI
    /// The credential answering the registrar's challenge (its user
    /// defaults to the AOR's user part).
    public var credential: DigestCredential?
    /// Seconds asked for; the registrar's grant wins.
    public var expires: Int
    /// The flow (by name or extension) of calls that arrive through this
    /// binding and name no flow.
    public var flow: String?

    public init(registrar: SIPURI, aor: SIPURI, credential: DigestCredential?, expires: Int = 3600, flow: String? = nil) {
        self.registrar = registrar
        self.aor = aor
        self.credential = credential
        self.expires = expires
        self.flow = flow
    }
}
