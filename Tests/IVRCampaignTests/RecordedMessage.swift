import Foundation
import IVRSIP

/// The message a machine recorded after its beep: the 20 ms frames of
/// ivrc's stream (`MachineCallee.Call`) that carry the message's tone, found
/// with the Goertzel algorithm, in the order of their RTP timestamps (the
/// order a phone plays them).
struct RecordedMessage {
    /// Frames holding the tone.
    var toneFrames = 0
    /// From the first tone frame to the last, as the timestamps count them.
    var spanFrames = 0
    /// Frames between the first and the last tone frame without the tone.
    var otherFrames = 0
    /// Frames between the first and the last tone frame that never arrived.
    var missingFrames = 0
    /// When the first tone frame arrived, in the callee's time base.
    var firstArrival: Double?

    init(_ call: MachineCallee.Call, hz: Double) {
        let audio = call.received.filter { $0.payloadType == 0 }
        guard let first = audio.first else { return }
        // Offsets from the first packet's timestamp (it wraps at 2^32).
        let frames = audio.map { (offset: Int(Int32(bitPattern: $0.timestamp &- first.timestamp)), packet: $0) }
            .sorted { $0.offset < $1.offset }
        let tone = frames.filter {
            Self.toneShare(G711.decode($0.packet.payload, codec: .pcmu), hz: hz) >= 0.8
        }
        guard let start = tone.first, let end = tone.last else { return }
        toneFrames = tone.count
        spanFrames = (end.offset - start.offset) / MediaSession.frameSamples + 1
        let inside = Set(frames.filter { (start.offset...end.offset).contains($0.offset) }.map(\.offset))
        otherFrames = inside.count - tone.count
        missingFrames = spanFrames - inside.count
        firstArrival = tone.map(\.packet.arrival).min()
    }

    /// The share of a frame's energy at `hz` (Goertzel, 8 kHz): 1 for a
    /// sine on that frequency with whole cycles in the frame, 0 for silence.
    static func toneShare(_ samples: [Int16], hz: Double) -> Double {
        let coefficient = 2 * cos(2 * Double.pi * hz / 8000)
        var s1 = 0.0, s2 = 0.0, energy = 0.0
        for sample in samples {
            let x = Double(sample)
            let s = x + coefficient * s1 - s2
            s2 = s1
            s1 = s
            energy += x * x
        }
        let power = s1 * s1 + s2 * s2 - coefficient * s1 * s2
        // A quiet frame (below -42 dBFS, RMS 260) is no tone.
        guard energy > 260 * 260 * Double(samples.count) else { return 0 }
        return 2 * power / (Double(samples.count) * energy)
    }
}
