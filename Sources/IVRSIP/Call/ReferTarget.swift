import IVRBytecode

/// Turns a flow's transfer destination into the SIP URI of a REFER's
/// `Refer-To` (flow-language.md section 8, the manifest's `sip:` block):
///
/// | kind | Refer-To |
/// |---|---|
/// | extension, conference, group, app | `sip:NAME@pbx` |
/// | number (`+E164`) | `sip:+E164@trunk` (`;user=phone`) |
/// | sip | the URI as written |
public struct ReferTarget: Sendable, Equatable {
    /// The manifest's `sip.pbx`.
    public var pbx: String?
    /// The manifest's `sip.trunk`.
    public var trunk: String?

    public init(pbx: String?, trunk: String?) {
        self.pbx = pbx
        self.trunk = trunk
    }

    /// Why a destination has no URI.
    public struct Unroutable: Error, Sendable, Equatable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    /// The Refer-To URI of a destination. Reasons name it as `shown`
    /// (`***` for a sensitive one; default: the value).
    public func uri(kind: DestinationKind, value: String, shown: String? = nil) throws(Unroutable) -> String {
        let named = shown ?? value
        switch kind {
        case .sip:
            guard let uri = SIPURI(value) else { throw Unroutable(reason: "'\(named)' is not a SIP URI") }
            return uri.description
        case .number:
            guard let trunk, !trunk.isEmpty else {
                throw Unroutable(reason: "no sip.trunk in the manifest to route number \(named)")
            }
            let digits = value.hasPrefix("+") ? String(value.dropFirst()) : value
            guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit) else { throw Unroutable(reason: "'\(named)' is not an E.164 number") }
            return "sip:+\(digits)@\(trunk);user=phone"
        case .extension, .conference, .group, .app:
            guard let pbx, !pbx.isEmpty else {
                throw Unroutable(reason: "no sip.pbx in the manifest to route \(kind.rawValue) \(named)")
            }
            return SIPURI(user: value, host: pbx).description
        }
    }
}
