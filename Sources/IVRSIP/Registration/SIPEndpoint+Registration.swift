import Foundation
import Logging
import NIOCore

extension SIPEndpoint {
    /// Starts keeping every binding of `configuration.registrations`
    /// (RFC 3261 10.2): the first REGISTER now, then refreshes and retries
    /// as `RegistrationClient` says.
    public func startRegistrations() {
        eventLoop.execute {
            for reg in self.registrations {
                self.metrics.registration(registrar: reg.settings.registrar.description, registered: false)
                self.apply(reg.client.start(now: Self.nowMilliseconds()), reg)
            }
        }
    }

    /// Where every registration stands.
    public func registrationStatuses() async -> [RegistrationStatus] {
        (try? await eventLoop.submit { self.registrations.map(\.status) }.get()) ?? []
    }

    /// Removes every binding (REGISTER with expires 0, answering a
    /// challenge as the first one did) and returns once each is answered,
    /// or after `limit` (default: `configuration.unregisterWait`),
    /// whichever comes first. No refresh follows.
    public func unregisterAll(within limit: Duration? = nil) async {
        let limit = limit ?? .milliseconds(configuration.unregisterWait)
        guard !registrations.isEmpty else { return }
        let wait = UnregisterWait()
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            eventLoop.execute {
                wait.continuation = c
                wait.pending = 1  // until every REGISTER is out
                for reg in self.registrations {
                    self.stopSending(reg)
                    if case .send = reg.client.unregister(now: Self.nowMilliseconds()) {
                        wait.pending += 1
                        reg.unregistered = { wait.answered() }
                        self.sendRegister(reg, expires: 0)
                    }
                }
                wait.answered()
                guard wait.continuation != nil else { return }
                let (seconds, attoseconds) = limit.components
                self.eventLoop.scheduleTask(in: .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)) {
                    for reg in self.registrations where reg.client.state == .unregistering {
                        self.logger.warning("unregister \(reg.settings.aor): no answer from \(reg.settings.registrar); giving up")
                        self.stopSending(reg)
                        reg.client.giveUp()
                        reg.unregistered = nil
                    }
                    wait.finish()
                }
            }
        }
    }

    /// The binding an INVITE arrived on: the registration whose Contact
    /// user is the Request-URI's user.
    func registration(contactUser user: String) -> Registration? {
        registrations.first { $0.contactUser == user }
    }

    /// Cancels the timer and forgets the REGISTER out now (its answer is ignored).
    func stopSending(_ reg: Registration) {
        reg.timer?.cancel()
        reg.timer = nil
        reg.attempt += 1
        if let tx = reg.transaction { forget(tx) }
        reg.transaction = nil
    }

    /// Carries out what the client asked, logs its change, arms its timer.
    func apply(_ action: RegistrationClient.Action, _ reg: Registration) {
        logChange(reg)
        if case .send(let expires) = action { sendRegister(reg, expires: expires) }
        reg.timer?.cancel()
        reg.timer = nil
        guard let deadline = reg.client.nextDeadline else { return }
        let delay = max(1, deadline - Self.nowMilliseconds())
        reg.timer = eventLoop.scheduleTask(in: .milliseconds(Int64(delay))) { [self] in
            reg.timer = nil
            self.apply(reg.client.fire(now: Self.nowMilliseconds()), reg)
        }
    }

    func logChange(_ reg: Registration) {
        guard let event = reg.client.takeEvent() else { return }
        defer { metrics.registration(registrar: reg.settings.registrar.description, registered: reg.status.isRegistered) }
        let aor = reg.settings.aor.description
        let metadata: Logger.Metadata = ["registrar": "\(reg.settings.registrar)", "contact": "\(reg.contactUser)"]
        switch event {
        case .registered(let granted):
            let until = Date().addingTimeInterval(TimeInterval(granted))
            reg.registeredUntil = until
            reg.retryAt = nil
            logger.notice("registered \(aor) until \(Self.clockTime(until)) (granted \(granted) s)", metadata: metadata)
        case .intervalTooBrief(let minExpires):
            logger.notice("registration of \(aor): 423 Interval Too Brief; asking for \(minExpires) s", metadata: metadata)
        case .failed(let reason, let retryIn):
            reg.retryAt = Date().addingTimeInterval(TimeInterval(retryIn) / 1000)
            logger.warning("registration of \(aor) failed: \(reason); retry in \(Self.seconds(retryIn))", metadata: metadata)
        case .unregistered(let failure):
            reg.registeredUntil = nil
            if let failure {
                logger.warning("unregister of \(aor) failed: \(failure)", metadata: metadata)
            } else {
                logger.notice("unregistered \(aor)", metadata: metadata)
            }
            reg.unregistered?()
            reg.unregistered = nil
        }
    }

    /// The REGISTER (RFC 3261 10.2): to the registrar's URI through the
    /// outbound proxy when set; To and From the AOR (From tagged); the
    /// binding's Call-ID; the next CSeq; our Contact with `expires`, and
    /// `Expires`. Challenges are answered with the registration's credential.
    func sendRegister(_ reg: Registration, expires: Int) {
        reg.attempt += 1
        let attempt = reg.attempt
        let addressing = RouteSet(proxy: configuration.outboundProxy).addressing(remoteTarget: reg.settings.registrar.description)
        guard let hop = Self.hop(of: addressing.nextHop) else {
            return registerEnded(reg, attempt: attempt, response: nil, why: "'\(addressing.nextHop.prefix(120))' is not a SIP URI")
        }
        resolve(hop) { [self] address in
            guard reg.attempt == attempt else { return }
            guard let address else { return self.registerEnded(reg, attempt: attempt, response: nil, why: "cannot resolve \(hop.host)") }
            reg.cseq += 1
            var h = SIPHeaders()
            h.add("Via", self.newVia(address.transport))
            h.add("Max-Forwards", "70")
            for route in addressing.routes { h.add("Route", route) }
            h.add("From", "<\(reg.settings.aor)>;tag=\(reg.fromTag)")
            h.add("To", "<\(reg.settings.aor)>")
            h.add("Call-ID", reg.callID)
            h.add("CSeq", "\(reg.cseq) REGISTER")
            h.add("Contact", "\(self.contactHeader(address.transport, user: reg.contactUser));expires=\(expires)")
            h.add("Expires", "\(expires)")
            h.add("User-Agent", "ivrc")
            let request = SIPMessage.request("REGISTER", uri: addressing.requestURI, headers: h)
            reg.registrar = address
            self.sendChallengeable(request, to: address, in: nil, credentials: reg.credentials(default: self.configuration.credentials),
                                   started: { tx, sent in
                                       guard reg.attempt == attempt else { return self.forget(tx) }
                                       reg.transaction = tx
                                       reg.cseq = max(reg.cseq, sent.cseq?.number ?? reg.cseq)
                                   }) { response, authFailure in
                guard reg.attempt == attempt else { return }
                reg.transaction = nil
                self.registerEnded(reg, attempt: attempt, response: response, why: authFailure)
            }
        }
    }

    /// The REGISTER's outcome, told to the client.
    func registerEnded(_ reg: Registration, attempt: Int, response: SIPMessage?, why: String?) {
        guard reg.attempt == attempt else { return }
        let now = Self.nowMilliseconds()
        guard let response, let status = response.status else {
            return apply(reg.client.failed(reason: why ?? "no answer from \(reg.settings.registrar)", now: now), reg)
        }
        if let why { return apply(reg.client.failed(reason: why, now: now), reg) }
        let minExpires = response.headers["Min-Expires"].flatMap { Int($0.trimmingSIPWhitespace()) }
        apply(reg.client.received(status: status, granted: Self.granted(response, contactUser: reg.contactUser),
                                    minExpires: minExpires, reason: Self.reason(response), now: now), reg)
    }

    /// The expiry a 2xx grants our binding (RFC 3261 10.2.4): the `expires`
    /// of the Contact naming our contact user, else the `Expires` header.
    static func granted(_ response: SIPMessage, contactUser: String) -> Int? {
        for value in response.headers.values("Contact") {
            guard let contact = NameAddress(value), contact.sipURI?.user == contactUser else { continue }
            if let expires = contact.parameters.first(where: { $0.name == "expires" })?.value.flatMap({ Int($0) }) {
                return max(0, expires)
            }
        }
        return response.headers["Expires"].flatMap { Int($0.trimmingSIPWhitespace()) }.map { max(0, $0) }
    }

    /// `12:34:56` (UTC) for the log.
    static func clockTime(_ date: Date) -> String {
        let s = Int(date.timeIntervalSince1970) % 86_400
        return String(format: "%02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
    }

    /// `30 s`, `1.5 s`, `5 min` for the log.
    static func seconds(_ milliseconds: Int) -> String {
        if milliseconds % 60_000 == 0 { return "\(milliseconds / 60_000) min" }
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000) s" }
        return String(format: "%.1f s", Double(milliseconds) / 1000)
    }
}

/// `unregisterAll`'s wait: the REGISTERs still unanswered, and the caller.
// NOTE: touched only on the endpoint's event loop.
final class UnregisterWait: @unchecked Sendable {
    var pending = 0
    var continuation: CheckedContinuation<Void, Never>?

    func answered() {
        pending -= 1
        if pending == 0 { finish() }
    }

    func finish() {
        continuation?.resume()
        continuation = nil
    }
}
