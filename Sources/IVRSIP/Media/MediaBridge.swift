/// Joins two calls' media (a bridged transfer's caller, leg A, and callee,
/// leg B): a packet received on one leg is sent at once on the other (no
/// pacing, no jitter buffer), renumbered into that leg's own stream,
/// transcoded PCMU<->PCMA when the legs' codecs differ, RFC 4733 events
/// mapped to the other leg's payload type, SRTP per leg (see
/// `MediaSession.relay`). While joined, neither leg plays its own prompts.
///
/// `relayOneWay` carries the callee's early media (18x with SDP) to the
/// caller before the answer; `join` makes it both ways.
public struct MediaBridge: Sendable {
    public let caller: MediaSession
    public let callee: MediaSession
    /// Both sides recorded (caller left, callee right), when asked.
    public let recording: BridgeRecording?

    public init(caller: MediaSession, callee: MediaSession, recording: BridgeRecording? = nil) {
        self.caller = caller
        self.callee = callee
        self.recording = recording
    }

    /// The callee's packets go to the caller (whose own playback stops);
    /// nothing goes the other way yet.
    public func relayCalleeToCaller() async {
        await caller.setFed(true)
        await callee.setForwarding(caller, recorder: nil)
    }

    /// Relays both ways (and records, when the bridge has a recording).
    public func join() async {
        await caller.setFed(true)
        await callee.setFed(true)
        await caller.setForwarding(callee, recorder: recording.map { ($0, BridgeRecording.callerChannel) })
        await callee.setForwarding(caller, recorder: recording.map { ($0, BridgeRecording.calleeChannel) })
    }

    /// Stops relaying (both ways); each leg's own sender takes over again.
    /// Also breaks the references the legs hold to each other.
    public func unjoin() async {
        await caller.setForwarding(nil, recorder: nil)
        await callee.setForwarding(nil, recorder: nil)
        await caller.setFed(false)
        await callee.setFed(false)
    }
}
