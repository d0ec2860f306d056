import Foundation

/// Where one registration stands, for the log, tests and metrics
/// (`SIPEndpoint.registrationStatuses()`). Holds no secret.
public struct RegistrationStatus: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        case registering
        case registered(until: Date, granted: Int)
        case failed(reason: String, retryAt: Date)
        case unregistering
        case unregistered
    }

    public var aor: String
    public var registrar: String
    /// The user part of the Contact registered (calls to it run `flow`).
    public var contactUser: String
    public var flow: String?
    public var state: State
    /// Failures in a row.
    public var failures: Int

    public var isRegistered: Bool {
        if case .registered = state { return true }
        return false
    }
}
