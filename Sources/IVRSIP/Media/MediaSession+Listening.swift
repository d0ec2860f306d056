/// Listening to the far end a chunk at a time, for the detectors that judge
/// its audio (`AnsweringMachineListening`, the `wait` step): the session
/// records the chunk (no key ends it), and the chunk comes back cut into
/// 20 ms frames, with the time no audio came for (no packets: silence
/// suppression, or nothing sent) as `missing`.
extension MediaSession {
    public struct HeardChunk: Sendable {
        /// The whole 20 ms frames of 8 kHz samples that came.
        public var frames: [ArraySlice<Int16>]
        /// Milliseconds of the chunk no audio came for.
        public var missing: Int
    }

    /// Listens for `milliseconds`; nil when the call hung up meanwhile.
    public func listen(milliseconds: Int) async -> HeardChunk? {
        startRecording(maxMilliseconds: milliseconds, silenceMilliseconds: 0, finishOn: nil)
        let event = await wait(recording: true)
        let (samples, reason) = await finishRecording()
        if event == .hangup || reason == "hangup" { return nil }
        let size = VoiceActivity.frameSamples
        let whole = samples.count - samples.count % size
        let frames = stride(from: 0, to: whole, by: size).map { samples[$0..<$0 + size] }
        return HeardChunk(frames: frames, missing: max(0, milliseconds - whole / 8))
    }
}
