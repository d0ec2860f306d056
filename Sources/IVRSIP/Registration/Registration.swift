import Foundation
import NIOCore

/// One binding the endpoint keeps (a `RegistrationSettings`): its
/// `RegistrationClient` and what the REGISTERs share (RFC 3261 10.2: one
/// Call-ID for the binding, a CSeq that goes up, the From tag), the
/// REGISTER out now and the timer of the next one.
// NOTE: created in the endpoint's init, then touched only on its event loop.
final class Registration: @unchecked Sendable {
    let settings: RegistrationSettings
    /// The user part of our Contact: an INVITE whose Request-URI names it
    /// arrived through this binding.
    let contactUser: String
    let callID: String
    let fromTag: String
    var cseq: UInt32 = 0
    var client: RegistrationClient
    /// Each REGISTER's number: a completion of an older one is ignored.
    var attempt = 0
    var transaction: ClientTransaction?
    /// Where the last REGISTER went: over TCP or TLS, that connection is
    /// kept open while the binding lasts (the registrar may deliver calls on it).
    var registrar: SIPPeer?
    var timer: Scheduled<Void>?
    /// Wall-clock times of the state, for the snapshot and the log.
    var registeredUntil: Date?
    var retryAt: Date?
    /// Told when the expires=0 REGISTER is answered or given up.
    var unregistered: (() -> Void)?

    init(settings: RegistrationSettings, index: Int, host: String, backoffBase: Int, backoffCap: Int) {
        self.settings = settings
        self.contactUser = Self.contactUser(settings, index: index)
        self.callID = SIPIdentifiers.token(24) + "@" + host
        self.fromTag = SIPIdentifiers.token(10)
        self.client = RegistrationClient(expires: settings.expires, backoffBase: backoffBase, backoffCap: backoffCap)
    }

    /// `ivrc-r1-4420712345`: stable across restarts (the registrar replaces
    /// the old binding rather than keeping two), unique per entry, and
    /// unlike any flow name or extension.
    static func contactUser(_ settings: RegistrationSettings, index: Int) -> String {
        let user = (settings.aor.user ?? "").filter { $0.isLetter || $0.isNumber || "-_.+".contains($0) }
        return "ivrc-r\(index + 1)" + (user.isEmpty ? "" : "-" + user.prefix(32))
    }

    /// The answer to the registrar's challenges: the entry's own
    /// credential, else the manifest's `sip.credentials`.
    func credentials(default all: [DigestCredential]) -> [DigestCredential] {
        settings.credential.map { [$0] } ?? all
    }

    var status: RegistrationStatus {
        let state: RegistrationStatus.State
        switch client.state {
        case .idle, .registering: state = .registering
        case .registered(let granted, _): state = .registered(until: registeredUntil ?? Date(), granted: granted)
        case .failed(let reason, _): state = .failed(reason: reason, retryAt: retryAt ?? Date())
        case .unregistering: state = .unregistering
        case .unregistered: state = .unregistered
        }
        return RegistrationStatus(aor: settings.aor.description, registrar: settings.registrar.description,
                                  contactUser: contactUser, flow: settings.flow, state: state, failures: client.failures)
    }
}
