import IVRRuntime

/// Answering-machine detection on an answered outbound call (`ivrc
/// campaign`, and `ivrc call` when the flow reads `answered_by`): listens to
/// the callee's first seconds (`MediaSession.listen`, 200 ms at a
/// time) and feeds them, 20 ms at a time, to an `AnsweringMachineDetector`
/// (docs/answering-machines.md) until it decides, within its analysis
/// time. Time a chunk holds no audio for (no packets) is `missing`: silence.
public enum AnsweringMachineListening {
    public static func classify(_ media: MediaSession, chunkMilliseconds: Int = 200) async -> CallPresets.AnsweredBy {
        var detector = AnsweringMachineDetector()
        while true {
            guard let chunk = await media.listen(milliseconds: chunkMilliseconds) else { return .unknown }
            var verdict: AnsweringMachineDetector.Verdict?
            for frame in chunk.frames where verdict == nil { verdict = detector.frame(frame) }
            if verdict == nil { verdict = detector.missing(milliseconds: chunk.missing) }
            switch verdict {
            case .human: return .human
            case .machine: return .machine
            case .unknown: return .unknown
            case nil: continue
            }
        }
    }
}
