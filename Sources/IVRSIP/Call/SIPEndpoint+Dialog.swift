import Foundation
import NIOCore

extension SIPEndpoint {
    /// Ends a dialog: BYE when asked, media closed, pending waits woken,
    /// the leg forgotten. Idempotent.
    func terminate(_ leg: CallLeg, sendBye: Bool) {
        guard leg.state != .terminated else { return }
        if sendBye, leg.state == .confirmed || leg.state == .answered {
            sendChallengeable(request("BYE", in: leg), to: dialogHop(leg), in: leg) { _, _ in }
        }
        leg.okTimer?.scheduled?.cancel()
        leg.okTimer = nil
        // A REFER or INFO still unanswered is not sent again after the call
        // (the BYE, a CANCEL and an INVITE's own transaction run to their end).
        for tx in transactions.values where tx.callID == leg.callID && !["INVITE", "BYE", "CANCEL"].contains(tx.method) {
            forget(tx)
        }
        leg.state = .terminated
        leg.endedAt = Date()
        leg.media?.callerHungUp()
        leg.media?.close()
        finishTransfer(leg, .hungUp)
        if leg.remoteHungUp { leg.task?.cancel() }
        calls[leg.callID] = nil
        metrics.callsActive(calls.count)
        hooks.ended(leg)
        if calls.isEmpty {
            let waiters = drainWaiters
            drainWaiters = []
            for w in waiters { w.resume() }
        }
    }

    /// The flow hangs up (or finished a transfer): BYE and tear down.
    public func hangUp(_ leg: CallLeg) {
        eventLoop.execute { self.terminate(leg, sendBye: true) }
    }

    /// Blind transfer (RFC 3515): REFER with `Refer-To: <uri>`, then follow
    /// the NOTIFY sipfrags until a final status. `timeout` bounds the wait
    /// for the final NOTIFY (ring time plus signalling).
    public func transfer(_ leg: CallLeg, to uri: String, timeout: TimeAmount) async -> TransferOutcome {
        await withCheckedContinuation { (c: CheckedContinuation<TransferOutcome, Never>) in
            eventLoop.execute {
                guard leg.state == .confirmed else { return c.resume(returning: .hungUp) }
                guard leg.transferWaiter == nil else { return c.resume(returning: .failed("a transfer is already pending")) }
                leg.transferWaiter = c
                leg.transferTimer = self.eventLoop.scheduleTask(in: timeout) { [self] in
                    self.finishTransfer(leg, .failed("no final NOTIFY within the ring time"))
                }
                var refer = self.request("REFER", in: leg)
                refer.headers.add("Refer-To", "<\(uri)>")
                refer.headers.add("Referred-By", self.contactHeader(self.dialogHop(leg).transport))
                self.sendChallengeable(refer, to: self.dialogHop(leg), in: leg) { [self] response, authFailure in
                    guard let status = response?.status else {
                        return self.finishTransfer(leg, .failed("REFER timed out"))
                    }
                    if let authFailure {
                        self.finishTransfer(leg, .failed(authFailure))
                    } else if status >= 300 {
                        self.finishTransfer(leg, .failed("\(Self.referRefused) \(status) \(response.map(Self.reason) ?? "")"))
                    }
                }
            }
        }
    }

    /// How the reason of a REFER answered with a failure status starts
    /// (`auto` transfers bridge then).
    static let referRefused = "REFER refused:"

    static func reason(_ m: SIPMessage) -> String {
        if case .response(_, let reason) = m.startLine { return reason }
        return ""
    }

    func finishTransfer(_ leg: CallLeg, _ outcome: TransferOutcome) {
        guard let waiter = leg.transferWaiter else { return }
        leg.transferWaiter = nil
        leg.transferTimer?.cancel()
        leg.transferTimer = nil
        waiter.resume(returning: outcome)
    }
}
