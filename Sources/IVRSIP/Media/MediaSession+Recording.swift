import NIOCore

/// A recording in progress: the caller's decoded audio and its end rules.
struct Recording {
    var samples: [Int16] = []
    let maxSamples: Int
    let silence: TimeAmount?
    let finishOn: Character?
    var lastSound: NIODeadline
    let startedAt: NIODeadline
    var done = false
    var reason = ""

    /// A 20 ms frame whose mean absolute amplitude is below this is silence.
    static let silenceLevel = 300
}

extension MediaSession {
    /// Starts recording the caller: ends after `maxMilliseconds`, after
    /// `silenceMilliseconds` without sound (0: never), or on `finishOn`.
    public func startRecording(maxMilliseconds: Int, silenceMilliseconds: Int, finishOn: Character?) {
        eventLoop.execute {
            let now = NIODeadline.now()
            self.keys.removeAll()
            self.recording = Recording(maxSamples: max(1, maxMilliseconds) * 8,
                                       silence: silenceMilliseconds > 0 ? .milliseconds(Int64(silenceMilliseconds)) : nil,
                                       finishOn: finishOn, lastSound: now, startedAt: now)
            self.scheduleRecordingCheck()
        }
    }

    /// Ends the recording (if still running) and returns what it holds.
    public func finishRecording() async -> (samples: [Int16], reason: String) {
        (try? await onLoop {
            self.recordingTimer?.cancel()
            let r = self.recording
            self.recording = nil
            return (r?.samples ?? [], r?.done == true ? r?.reason ?? "" : "hangup")
        }) ?? ([], "hangup")
    }

    /// Checks the duration and silence limits every 100 ms (also when no RTP arrives).
    func scheduleRecordingCheck() {
        recordingTimer = eventLoop.scheduleTask(in: .milliseconds(100)) { [self] in
            guard var r = self.recording, !r.done else { return }
            let now = NIODeadline.now()
            if let silence = r.silence, now - r.lastSound >= silence {
                r.done = true
                r.reason = "silence"
            }
            // Wall time counts against the maximum too (no audio may arrive);
            // one sample is 125 us at 8 kHz.
            let elapsed = Int((now - r.startedAt).nanoseconds / 125_000)
            if r.samples.count >= r.maxSamples || elapsed >= r.maxSamples {
                r.done = true
                r.reason = "max"
            }
            self.recording = r
            if r.done { self.wake() } else { self.scheduleRecordingCheck() }
        }
    }

    func recordAudio(_ payload: [UInt8]) {
        guard var r = recording, !r.done else { return }
        recording = nil  // `r` alone holds the samples now: appended in place, not copied per packet
        let samples = G711.decode(payload, codec: codec)
        let room = r.maxSamples - r.samples.count
        r.samples += samples.prefix(room)
        let level = samples.isEmpty ? 0 : samples.reduce(0) { $0 + abs(Int($1)) } / samples.count
        if level >= Recording.silenceLevel { r.lastSound = .now() }
        if r.samples.count >= r.maxSamples {
            r.done = true
            r.reason = "max"
        }
        recording = r
        if r.done { wake() }
    }

    /// A finish-on key ends the recording and is not buffered.
    func recordingConsumes(_ key: Character) -> Bool {
        guard var r = recording, !r.done, let finish = r.finishOn, key == finish else { return false }
        r.done = true
        r.reason = "key"
        recording = r
        wake()
        return true
    }
}
