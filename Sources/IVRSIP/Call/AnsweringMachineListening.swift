import IVRRuntime

/// Answering-machine detection on an answered outbound call (`ivrc
/// campaign`, and `ivrc call` when the flow reads `answered_by`): listens to
/// the callee's first seconds (the media session records 200 ms at a
/// time) and feeds them, 20 ms at a time, to an `AnsweringMachineDetector`
/// (docs/answering-machines.md) until it decides, within its analysis
/// time. Time a chunk holds no audio for (no packets) is `missing`: silence.
public enum AnsweringMachineListening {
    public static func classify(_ media: MediaSession, chunkMilliseconds: Int = 200) async -> CallPresets.AnsweredBy {
        var detector = AnsweringMachineDetector()
        while true {
            media.startRecording(maxMilliseconds: chunkMilliseconds, silenceMilliseconds: 0, finishOn: nil)
            let event = await media.wait(recording: true)
            let (samples, reason) = await media.finishRecording()
            if event == .hangup || reason == "hangup" { return .unknown }
            var verdict: AnsweringMachineDetector.Verdict?
            for start in stride(from: 0, to: samples.count - samples.count % 160, by: 160) where verdict == nil {
                verdict = detector.frame(samples[start..<start + 160])
            }
            if verdict == nil { verdict = detector.missing(milliseconds: chunkMilliseconds - samples.count / 8) }
            switch verdict {
            case .human: return .human
            case .machine: return .machine
            case .unknown: return .unknown
            case nil: continue
            }
        }
    }
}
