import NIOCore

extension SIPEndpoint {
    /// Milliseconds on the event loop's monotonic clock.
    static func nowMilliseconds() -> Int { Int(NIODeadline.now().uptimeNanoseconds / 1_000_000) }

    /// Sends a request in a new client transaction (RFC 3261 17.1): it is
    /// retransmitted, completed and timed out by `ClientTransactionState`.
    /// `provisional` sees each 1xx; `completion` runs once, with the final
    /// response or nil (Timer B/F, or abandoned). The ACK of a non-2xx
    /// final response to an INVITE is the transaction's own.
    @discardableResult
    func transact(_ request: SIPMessage, to peer: SIPPeer, provisional: ((SIPMessage) -> Void)? = nil,
                  completion: @escaping (SIPMessage?) -> Void) -> ClientTransaction? {
        guard let branch = request.vias.first?.branch else { return nil }
        let tx = ClientTransaction(request: request, branch: branch, destination: peer, state: newState(request.method, over: peer),
                                   provisional: provisional, completion: completion)
        // RFC 3261 18.1.1: a request larger than the UDP size limit goes over TCP.
        if peer.transport == .udp, let limit = configuration.udpSizeLimit, tx.bytes.count > limit {
            tx.moveToTCP()
            tx.state = newState(request.method, over: tx.destination)
        }
        transactions[tx.key] = tx
        send(tx.bytes, to: tx.destination)
        schedule(tx)
        return tx
    }

    /// A client transaction's state machine as the request is sent over `peer`.
    func newState(_ method: String, over peer: SIPPeer) -> ClientTransactionState {
        ClientTransactionState(kind: method == "INVITE" ? .invite : .nonInvite, start: Self.nowMilliseconds(),
                               t1: configuration.t1, t2: configuration.t2, t4: configuration.t4,
                               timerD: configuration.timerD, reliable: peer.transport.isStream)
    }

    /// A request sent over TCP for its size whose connection failed before
    /// any answer: sent again over UDP (RFC 3261 18.1.1: a reset or a
    /// refused connection means the peer does not do TCP). False when it
    /// was not such a request.
    func fallBackToUDP(_ tx: ClientTransaction) -> Bool {
        guard tx.udpFallback != nil, tx.state.state == .calling || tx.state.state == .trying,
              tx.moveBackToUDP(newState(tx.method, over: tx.udpFallback!.destination)) else { return false }
        tx.scheduled?.cancel()
        logger.notice("\(tx.method) of \(tx.bytes.count) bytes: no TCP at \(tx.destination.address); sent over UDP",
                      metadata: ["call-id": "\(tx.callID ?? "")"])
        send(tx.bytes, to: tx.destination)
        schedule(tx)
        return true
    }

    /// RFC 3261 17.1.3: a response belongs to the transaction of its top
    /// Via's branch and its CSeq method (a CANCEL shares its INVITE's branch).
    func handleResponse(_ response: SIPMessage) {
        guard let branch = response.vias.first?.branch, let status = response.status else { return }
        guard let tx = transactions[ClientTransaction.key(branch: branch, method: response.method)] else {
            // A 2xx to our INVITE after its transaction ended on the first:
            // retransmitted, or from a second callee of a forking proxy.
            if response.method == "INVITE", (200..<300).contains(status), let leg = response.callID.flatMap({ calls[$0] }),
               !leg.inbound, leg.ackBytes != nil {
                handleLateInviteSuccess(response, leg: leg)
            }
            return
        }
        let actions = tx.state.receive(status: status, now: Self.nowMilliseconds())
        perform(actions, tx, response: response)
    }

    /// The TU gives up on a transaction without a final response (RFC 3261
    /// 9.1: 64*T1 after its CANCEL): it ends, its completion gets nil.
    func abandon(_ tx: ClientTransaction) {
        guard transactions[tx.key] === tx, !tx.state.isTerminated, tx.state.state != .completed else { return }
        tx.state.abandon()
        tx.scheduled?.cancel()
        transactions[tx.key] = nil
        tx.completion(nil)
    }

    /// Drops the transaction quietly (the call it served is over).
    func forget(_ tx: ClientTransaction) {
        tx.scheduled?.cancel()
        tx.state.abandon()
        if transactions[tx.key] === tx { transactions[tx.key] = nil }
    }

    func perform(_ actions: [ClientTransactionState.Action], _ tx: ClientTransaction, response: SIPMessage?) {
        for action in actions {
            switch action {
            case .retransmit:
                send(tx.bytes, to: tx.destination)
            case .ack:
                guard let response else { continue }
                if tx.ackBytes == nil { tx.ackBytes = ClientTransaction.ack(for: tx.request, response: response).serialized() }
                if let ack = tx.ackBytes { send(ack, to: tx.destination) }
            case .deliver:
                guard let response, let status = response.status else { continue }
                if status < 200 { tx.provisional?(response) } else { tx.completion(response) }
            case .timeout:
                tx.completion(nil)
            }
        }
        if tx.state.isTerminated {
            tx.scheduled?.cancel()
            if transactions[tx.key] === tx { transactions[tx.key] = nil }
        } else {
            schedule(tx)
        }
    }

    /// Arms the one task that runs the transaction's next timer.
    func schedule(_ tx: ClientTransaction) {
        tx.scheduled?.cancel()
        tx.scheduled = nil
        guard let deadline = tx.state.nextDeadline else { return }
        let delay = max(1, deadline - Self.nowMilliseconds())
        tx.scheduled = eventLoop.scheduleTask(in: .milliseconds(Int64(delay))) { [self] in
            guard self.transactions[tx.key] === tx else { return }
            self.perform(tx.state.fire(now: Self.nowMilliseconds()), tx, response: nil)
        }
    }
}
