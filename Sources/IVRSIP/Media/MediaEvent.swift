/// What ends a media wait.
public enum MediaEvent: Sendable, Equatable {
    /// A key from RFC 4733 or SIP INFO (taken from the key buffer).
    case key(Character)
    /// The current prompt has been sent to the last packet.
    case playbackDone
    /// The recording ended (max duration, silence or finish-on key).
    case recordingDone
    /// The wait's deadline passed.
    case timeout
    /// The caller hung up (or the call was torn down).
    case hangup
}

/// What a wait is interested in.
struct MediaInterest: Sendable, Equatable {
    var keys = false
    var playback = false
    var recording = false
}
