import Foundation
import NIOCore

extension MediaSession {
    /// Waits until something of interest happens: a buffered or new key, the
    /// end of playback, the end of a recording, the deadline, or a hang-up.
    /// A cancelled task counts as a hang-up.
    public func wait(keys: Bool = false, playback: Bool = false, recording: Bool = false,
                     deadline: NIODeadline? = nil) async -> MediaEvent {
        let interest = MediaInterest(keys: keys, playback: playback, recording: recording)
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<MediaEvent, Never>) in
                eventLoop.execute { self.install(interest, continuation, deadline: deadline) }
            }
        } onCancel: {
            eventLoop.execute { self.hangUp() }
        }
    }

    func install(_ interest: MediaInterest, _ continuation: CheckedContinuation<MediaEvent, Never>, deadline: NIODeadline?) {
        if let old = waiter {  // never happens with a sequential flow; end the old wait rather than leak it
            old.timer?.cancel()
            waiter = nil
            old.continuation.resume(returning: .timeout)
        }
        if let event = ready(interest) {
            continuation.resume(returning: event)
            return
        }
        let timer = deadline.map { d in
            eventLoop.scheduleTask(deadline: d) { [self] in self.expire() }
        }
        waiter = (interest, continuation, timer)
    }

    /// The event a wait with this interest can return right now.
    func ready(_ interest: MediaInterest) -> MediaEvent? {
        if hungUp || closed { return .hangup }
        if interest.keys, !keys.isEmpty { return .key(keys.removeFirst()) }
        if interest.playback, !playing { return .playbackDone }
        if interest.recording, recording?.done ?? true { return .recordingDone }
        return nil
    }

    /// Re-checks the waiter after a state change.
    func wake() {
        if hungUp || closed { releaseWatchers() }
        guard let w = waiter, let event = ready(w.interest) else { return }
        waiter = nil
        w.timer?.cancel()
        w.continuation.resume(returning: event)
    }

    func expire() {
        guard let w = waiter else { return }
        waiter = nil
        w.continuation.resume(returning: .timeout)
    }

    /// The caller is gone: every wait ends with `.hangup` from now on.
    public func callerHungUp() {
        let at = Date()
        eventLoop.execute { self.hangUp(at: at) }
    }

    func hangUp(at: Date = Date()) {
        if !hungUp { hungUpAt = at }
        hungUp = true
        wake()
    }

    /// When the hang-up was learnt (nil while the call is up).
    public func hangUpTime() async -> Date? {
        (try? await onLoop { self.hungUpAt }) ?? nil
    }

    /// Stops sending, closes the socket and frees the port. Idempotent.
    public func close() {
        eventLoop.execute {
            guard !self.closed else { return }
            self.closed = true
            self.bridge.forwarding = nil
            self.bridge.recorder = nil
            self.clock.remove(self)
            self.clock.metrics.rtpSentUnpaced(self.packetsSent - self.pacedPackets)
            self.recordingTimer?.cancel()
            self.wake()
            self.socket.close()
            self.release()
        }
    }

    /// RTP packets sent, received and rejected (bad, or from an unexpected source).
    public func counters() async -> (sent: Int, received: Int, rejected: Int) {
        (try? await onLoop { (self.packetsSent, self.packetsReceived, self.packetsRejected) }) ?? (0, 0, 0)
    }

    /// Runs `body` on the session's loop and returns its result.
    func onLoop<T: Sendable>(_ body: @escaping @Sendable () -> T) async throws -> T {
        try await eventLoop.submit(body).get()
    }
}
