import Foundation
import IVRBytecode
import IVRRuntime
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// `ivrc serve` and `ivrc call` without the command line: a SIP endpoint
/// whose confirmed calls run flows of a bundle through `CallDriver`, with
/// one call record per call.
public final class IVRServer: Sendable {
    public let bundle: VerifiedBundle
    public let services: CallServices
    let records: CallRecordLog?
    /// Lines for stdout when no record file is given.
    let printRecord: @Sendable (String) -> Void
    let box = ServerBox()
    /// Records not yet written (flows still finishing).
    let pending = Mutex(0)
    /// What the server and its endpoint count (docs/metrics.md).
    public let metrics: IVRMetrics
    let drainingFlag = Atomic(false)

    public init(bundle: VerifiedBundle, services: CallServices, records: CallRecordLog?,
                printRecord: @escaping @Sendable (String) -> Void = { print($0) }, metrics: IVRMetrics = .none) {
        self.bundle = bundle
        self.services = services
        self.records = records
        self.printRecord = printRecord
        self.metrics = metrics
    }

    public var endpoint: SIPEndpoint { box.endpoint! }

    /// The event loops the endpoint runs on (for other servers of the
    /// process, such as `MetricsHTTPServer`).
    public var eventLoopGroup: EventLoopGroup { endpoint.group }

    /// True from the start of `drain` (the first SIGTERM or SIGINT of
    /// `ivrc serve`): `/readyz` answers 503.
    public var draining: Bool { drainingFlag.load(ordering: .relaxed) }

    /// Binds the SIP socket and starts answering, on an event loop group
    /// of one thread per core (shut down by `shutdown`).
    public func start(configuration: SIPConfiguration) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
        box.group = group
        try await start(configuration: configuration, group: group)
    }

    /// Removes the registrations (a bounded wait), closes the socket and stops the event loops `start` made.
    public func shutdown() async {
        await box.endpoint?.unregisterAll()
        await box.endpoint?.close()
        try? await box.group?.shutdownGracefully()
    }

    /// Logs an operator message (standard error).
    public func notice(_ message: String) { services.logger.notice("\(message)") }

    /// Binds the SIP socket and starts answering on the given loops.
    public func start(configuration: SIPConfiguration, group: EventLoopGroup) async throws {
        let hooks = SIPEndpoint.Hooks(
            route: { [bundle] user in Self.route(bundle, user: user) },
            started: { [self] leg in self.run(leg) },
            ended: { [self] leg in self.ended(leg) })
        let endpoint = SIPEndpoint(configuration: configuration, group: group, hooks: hooks, logger: services.logger,
                                   metrics: metrics)
        box.endpoint = endpoint
        try await endpoint.start()
        endpoint.startRegistrations()
    }

    /// The Request-URI user part picks a flow by extension, else by name.
    public static func route(_ bundle: VerifiedBundle, user: String) -> Int? {
        if let i = bundle.flows.firstIndex(where: { $0.extensionNumber.map { bundle.strings[$0] } == user }) { return i }
        return bundle.flows.firstIndex { bundle.strings[$0.name] == user }
    }

    /// True when some flow speaks (`say`, or a `say` prompt of a menu or capture).
    public static func usesSpeech(_ bundle: VerifiedBundle) -> Bool {
        bundle.flows.indices.contains { i in
            bundle.instructions(ofFlow: i).contains { $0.opcode == .say || $0.opcode == .queueSay }
        }
    }

    /// Starts the flow of a confirmed call on its own task (called on the endpoint's loop).
    func run(_ leg: CallLeg) {
        guard let media = leg.media, let endpoint = box.endpoint else { return }
        let (bundle, services) = (self.bundle, self.services)
        pending.withLock { $0 += 1 }
        leg.task = Task {
            let backend = SIPCallBackend(leg: leg, endpoint: endpoint, media: media, services: services)
            let report = await CallDriver.run(bundle, flow: leg.flow, backend: backend, caller: leg.callerUser,
                                              called: leg.calledUser)
            if !leg.remoteHungUp { endpoint.hangUp(leg) }  // after hangup, transfer or error: BYE
            var record = report.record(id: leg.callID, backend: "sip", to: leg.dialledURI)
            // Cut short by this side (a signal, a shutdown): not the caller's hang-up.
            let outcome = leg.endedHere && record.outcome == "caller-hangup" ? "hangup" : record.outcome
            let (transferFailures, bridge) = (record.transferFailures, record.bridge)
            record = CallRecord(id: record.id, flow: record.flow, from: leg.fromURI, to: leg.dialledURI, backend: "sip",
                                start: leg.created, answer: leg.answeredAt, end: Date(), outcome: outcome,
                                destination: record.destination, path: record.path, inputs: record.inputs, error: record.error,
                                pathFlows: record.pathFlows)
            record.transferFailures = transferFailures
            record.bridge = bridge
            let counts = await media.counters()
            var metadata: Logger.Metadata = [
                "call-id": "\(leg.callID)", "outcome": "\(record.outcome)", "refer-to": "\(backend.referredTo ?? "")",
                "rtp": "sent \(counts.sent), received \(counts.received), rejected \(counts.rejected)"]
            if let (destination, bridge) = backend.bridged {
                metadata["bridged-to"] = "\(destination)"
                let times = String(format: "ring %.1f s, talk %.1f s", bridge.ringSeconds, bridge.talkSeconds)
                let recording = bridge.recording.map { ", recording \($0)" } ?? ""
                metadata["bridge"] = "\(times), ended by \(bridge.endedBy?.rawValue ?? "-")\(recording)"
            }
            if let srtp = await media.srtpStatus() {
                let dropped = srtp.dropped
                record.media = CallRecord.Media(srtp: CallRecord.SRTP(
                    suite: srtp.suite.rawValue,
                    packetsDropped: CallRecord.SRTP.Dropped(replay: dropped.replay, auth: dropped.auth, other: dropped.other)))
                metadata["srtp"] = "\(srtp.suite.rawValue), dropped: replay \(dropped.replay), auth \(dropped.auth), other \(dropped.other)"
            }
            services.logger.info("call ended", metadata: metadata)
            await self.write(record)
        }
    }

    /// A call that ended before its flow ran still gets a record.
    func ended(_ leg: CallLeg) {
        guard !leg.flowStarted, !leg.bridgeLeg else { return }
        let flowName = leg.flow < bundle.flows.count ? bundle.flowName(leg.flow) : ""
        let record = CallRecord(id: leg.callID, flow: flowName, from: leg.fromURI, to: leg.dialledURI, backend: "sip",
                                start: leg.created, answer: leg.answeredAt, end: leg.endedAt ?? Date(),
                                outcome: leg.remoteHungUp ? "caller-hangup" : "error", destination: nil, path: [], inputs: [],
                                error: leg.remoteHungUp ? nil : leg.endReason)
        pending.withLock { $0 += 1 }
        Task { await self.write(record) }
    }

    func write(_ record: CallRecord) async {
        defer { pending.withLock { $0 -= 1 } }
        metrics.callEnded(flow: record.flow, outcome: record.outcome)
        guard let records else { return printRecord(record.jsonLine()) }
        do { try await records.append(record) } catch {
            services.logger.error("cannot append the call record: \(error)")
        }
    }

    /// Calls whose record is not written yet.
    public var pendingRecords: Int { pending.withLock { $0 } }

    /// Graceful stop: refuse new calls, let the live ones finish, flush records.
    public func drain() async {
        drainingFlag.store(true, ordering: .relaxed)
        endpoint.stopAccepting()
        await endpoint.drained()
        // The flows' tasks write their records just after their dialogs end.
        for _ in 0..<100 where pendingRecords > 0 { try? await Task.sleep(for: .milliseconds(50)) }
        await records?.close()
    }
}

/// Holds the endpoint once started.
final class ServerBox: @unchecked Sendable {
    // NOTE: written once in `start` before any call can arrive, then only read.
    var endpoint: SIPEndpoint?
    var group: MultiThreadedEventLoopGroup?
}
