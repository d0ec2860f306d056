import NIOCore
import Synchronization

/// Both sides of a bridge in one stereo recording (`record: true`): the
/// caller on the left channel, the callee on the right, 8 kHz 16-bit.
///
/// Each channel places a packet's samples by its RTP timestamp, anchored
/// to the wall clock at the stream's first packet (and again at a new
/// SSRC, or a jump of more than a second), so lost or silent stretches
/// stay silent and the two sides stay aligned. Held in memory until
/// `stereo()`: about 32 KB per second of talk; past `maxSeconds` nothing
/// more is added.
///
/// Concurrency: the two legs add from their own event loops; the state is
/// behind a mutex.
public final class BridgeRecording: Sendable {
    public static let callerChannel = 0
    public static let calleeChannel = 1
    /// The longest recording kept (4 hours).
    public static let maxSeconds = 4 * 3600

    struct Channel {
        var samples: [Int16] = []
        var anchor: (ssrc: UInt32, timestamp: UInt32, position: Int)?
    }

    let started: NIODeadline
    let maxSamples: Int
    let channels = Mutex<[Channel]>([Channel(), Channel()])

    public init(started: NIODeadline = .now(), maxSeconds: Int = BridgeRecording.maxSeconds) {
        self.started = started
        self.maxSamples = maxSeconds * 8000
    }

    /// Adds decoded samples of one packet of `channel`.
    func add(_ samples: [Int16], channel: Int, ssrc: UInt32, timestamp: UInt32, at now: NIODeadline = .now()) {
        let wall = Int((now - started).nanoseconds / 125_000)
        channels.withLock { all in
            var c = all[channel]
            var position = wall
            if let anchor = c.anchor, anchor.ssrc == ssrc,
               case let moved = anchor.position + Int(Int32(bitPattern: timestamp &- anchor.timestamp)), abs(moved - wall) <= 8000 {
                position = moved
            } else {
                c.anchor = (ssrc, timestamp, wall)
            }
            let end = min(position + samples.count, maxSamples)
            if position >= 0, end > position {
                if c.samples.count < end { c.samples += repeatElement(0, count: end - c.samples.count) }
                for i in position..<end { c.samples[i] = samples[i - position] }
            }
            all[channel] = c
        }
    }

    /// The recording so far, interleaved (left, right, ...), both channels
    /// as long as the longer one.
    public func stereo() -> [Int16] {
        channels.withLock { all in
            let length = max(all[0].samples.count, all[1].samples.count)
            var out = [Int16](repeating: 0, count: 2 * length)
            for (i, s) in all[0].samples.enumerated() { out[2 * i] = s }
            for (i, s) in all[1].samples.enumerated() { out[2 * i + 1] = s }
            return out
        }
    }

    /// The stereo WAV image.
    public func wav() -> [UInt8] { WAVFile.encode(stereo(), rate: 8000, channels: 2) }
}
