import Synchronization

/// Asks a running campaign to stop starting calls (SIGINT, SIGTERM); the
/// calls in progress finish and are journaled, and a rerun resumes.
public final class CampaignStop: Sendable {
    private let requested = Atomic(false)

    public init() {}

    public func request() { requested.store(true, ordering: .relaxed) }

    public var isRequested: Bool { requested.load(ordering: .relaxed) }
}
