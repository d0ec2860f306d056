import IVRRuntime
import IVRSIP

/// Answering-machine detection on a campaign's answered call: listens to
/// the callee's first seconds (the media session records 200 ms at a
/// time; a chunk with less audio than its length is padded with silence,
/// since a callee that sends nothing is silent) and feeds them to an
/// `AnsweringMachineDetector` until it decides, within 5 s.
enum AnsweringMachineListening {
    static func classify(_ media: MediaSession, chunkMilliseconds: Int = 200) async -> CallPresets.AnsweredBy {
        var detector = AnsweringMachineDetector()
        let chunkSamples = chunkMilliseconds * 8
        while true {
            media.startRecording(maxMilliseconds: chunkMilliseconds, silenceMilliseconds: 0, finishOn: nil)
            let event = await media.wait(recording: true)
            let (samples, reason) = await media.finishRecording()
            if event == .hangup || reason == "hangup" { return .unknown }
            let audio = samples + [Int16](repeating: 0, count: max(0, chunkSamples - samples.count))
            for start in stride(from: 0, to: audio.count, by: 160) {
                guard let verdict = detector.feed(audio[start..<min(start + 160, audio.count)]) else { continue }
                switch verdict {
                case .human: return .human
                case .machine: return .machine
                case .unknown: return .unknown
                }
            }
        }
    }
}
