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
///
/// The bundle can be replaced while calls run (`reload`, SIGHUP): new
/// calls are routed with the new one, calls in progress finish on the one
/// they were routed with (`CallLeg.served`).
public final class IVRServer: Sendable {
    /// The bundle new calls are routed with; replaced whole by `reload`, on
    /// the endpoint's loop (where calls are routed).
    let current: Mutex<ServedBundle>
    /// The node's name (`--server`): in records, and what `servers:` lists.
    public let serverName: String
    public let services: CallServices
    let records: CallRecordLog?
    /// Lines for stdout when no record file is given.
    let printRecord: @Sendable (String) -> Void
    let box = ServerBox()
    /// Records not yet written (flows still finishing).
    let pending = Mutex(0)
    let reloadCounts = Mutex(ReloadCounts())
    /// What the server and its endpoint count (docs/metrics.md).
    public let metrics: IVRMetrics

    /// `bytes`: the bundle's bytes as read or built (their SHA-256 is each
    /// record's `bundle`); nil: the bundle written anew. `server`: the
    /// node's name (default: the host name).
    public init(bundle: VerifiedBundle, bytes: [UInt8]? = nil, server: String = IVRServer.hostName,
                services: CallServices, records: CallRecordLog?,
                printRecord: @escaping @Sendable (String) -> Void = { print($0) }, metrics: IVRMetrics = .none) {
        self.serverName = server
        self.current = Mutex(ServedBundle(bundle: bundle, bytes: bytes ?? BundleWriter.write(bundle.image), server: server))
        self.services = services
        self.records = records
        self.printRecord = printRecord
        self.metrics = metrics
    }

    /// The bundle new calls get, with its hash.
    public var served: ServedBundle { current.withLock { $0 } }

    /// The bundle new calls get.
    public var bundle: VerifiedBundle { served.bundle }

    /// This machine's host name (`gethostname`), the default `--server`.
    public static var hostName: String {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count - 1) == 0 else { return "localhost" }
        let text = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return text.isEmpty ? "localhost" : text
    }

    /// Reloads that took effect and reloads refused (a bad bundle, sources
    /// with errors), since the start.
    public struct ReloadCounts: Sendable, Equatable {
        public var succeeded = 0
        public var refused = 0
        public init() {}
    }

    public var reloads: ReloadCounts { reloadCounts.withLock { $0 } }

    /// Serves `bundle` (its bytes `bytes`) to new calls from now on: one
    /// reference change on the loop that routes calls, so no INVITE is
    /// refused or sees half of it; calls in progress keep theirs. Logs
    /// the outcome and counts it.
    @discardableResult
    public func reload(bundle: VerifiedBundle, bytes: [UInt8], from path: String) async -> ServedBundle {
        let next = ServedBundle(bundle: bundle, bytes: bytes, server: serverName)
        let previous = served
        if let endpoint = box.endpoint {
            try? await endpoint.eventLoop.submit { self.current.withLock { $0 = next } }.get()
        } else {
            current.withLock { $0 = next }
        }
        reloadCounts.withLock { $0.succeeded += 1 }
        metrics.bundleServing(bundle: next.hash, server: serverName)
        metrics.reloaded(succeeded: true)
        var message = "reloaded \(path): bundle \(next.hash.prefix(12)) (was \(previous.hash.prefix(12))); "
            + "flows: \(next.servedFlowNames.joined(separator: ", "))"
        let elsewhere = next.otherNodesFlowNames
        if !elsewhere.isEmpty { message += "; not served on \(serverName): \(elsewhere.joined(separator: ", "))" }
        services.logger.notice("\(message)")
        if next.bundle.sipSettings != previous.bundle.sipSettings {
            services.logger.warning("the manifest's sip: settings changed; they take effect when serve restarts")
        }
        return next
    }

    /// A reload that did not happen (`reason`: why): logged and counted;
    /// the bundle served stays as it was.
    public func reloadRefused(from path: String, reason: String) {
        reloadCounts.withLock { $0.refused += 1 }
        metrics.reloaded(succeeded: false)
        services.logger.error("reload of \(path) refused, still serving bundle \(served.hash.prefix(12)): \(reason)")
    }

    /// True once draining began (`drain`, the first SIGTERM/SIGINT): new
    /// INVITEs and OPTIONS get 503 (for `/readyz`).
    public var isDraining: Bool { box.endpoint?.isDraining ?? false }

    public var endpoint: SIPEndpoint { box.endpoint! }

    /// The event loops the endpoint runs on (for other servers of the
    /// process, such as `MetricsHTTPServer`).
    public var eventLoopGroup: EventLoopGroup { endpoint.group }

    /// `isDraining`, for `/readyz` (503 while true).
    public var draining: Bool { isDraining }

    /// Binds the SIP socket and starts answering, on an event loop group
    /// of one thread per core for media and, unless
    /// `configuration.ownSignallingLoop` is false, one more thread for
    /// signalling (both shut down by `shutdown`).
    public func start(configuration: SIPConfiguration) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
        box.group = group
        var signalling: EventLoop?
        if configuration.ownSignallingLoop {
            let own = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            box.signallingGroup = own
            signalling = own.next()
        }
        if let priority = configuration.realtimePriority {
            let loops = Array(group.makeIterator()) + (signalling.map { [$0] } ?? [])
            if let refusal = await RealtimePriority.raise(loops, priority: priority) {
                services.logger.warning("real-time scheduling (SCHED_RR \(priority)) refused: \(refusal); the event loops keep the ordinary policy")
            } else {
                services.logger.notice("event loops run under real-time scheduling (SCHED_RR \(priority))")
            }
        }
        try await start(configuration: configuration, group: group, signalling: signalling)
    }

    /// Removes the registrations (a bounded wait), closes the socket and stops the event loops `start` made.
    public func shutdown() async {
        await box.endpoint?.unregisterAll()
        await box.endpoint?.close()
        try? await box.group?.shutdownGracefully()
        try? await box.signallingGroup?.shutdownGracefully()
    }

    /// Logs an operator message (standard error).
    public func notice(_ message: String) { services.logger.notice("\(message)") }

    /// Binds the SIP socket and starts answering on the given loops: media
    /// on `group`'s, signalling on `signalling` (nil: on one of `group`'s).
    public func start(configuration: SIPConfiguration, group: EventLoopGroup, signalling: EventLoop? = nil) async throws {
        let hooks = SIPEndpoint.Hooks(
            route: { [self] user in
                let served = self.served
                return Self.route(served.bundle, user: user, among: served.serves(flow:)).map { SIPEndpoint.Route(flow: $0, bundle: served) }
            },
            started: { [self] leg in self.run(leg) },
            ended: { [self] leg in self.ended(leg) })
        let endpoint = SIPEndpoint(configuration: configuration, group: group, signalling: signalling, hooks: hooks,
                                   logger: services.logger,
                                   metrics: metrics)
        box.endpoint = endpoint
        try await endpoint.start()
        endpoint.startRegistrations()
        metrics.bundleServing(bundle: served.hash, server: serverName)
    }

    /// The Request-URI user part picks a flow by extension, else by name,
    /// among the flows `among` lets in (this node's: `servers:`).
    public static func route(_ bundle: VerifiedBundle, user: String, among: (Int) -> Bool = { _ in true }) -> Int? {
        if let i = bundle.flows.indices.first(where: { among($0) && bundle.flows[$0].extensionNumber.map { bundle.strings[$0] } == user }) {
            return i
        }
        return bundle.flows.indices.first { among($0) && bundle.strings[bundle.flows[$0].name] == user }
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
        let served = leg.served ?? self.served
        let (bundle, services, server) = (served.bundle, self.services, serverName)
        pending.withLock { $0 += 1 }
        leg.task = Task {
            let backend = SIPCallBackend(leg: leg, endpoint: endpoint, media: media, services: services)
            let report = await CallDriver.run(bundle, flow: leg.flow, backend: backend, caller: leg.callerUser,
                                              called: leg.calledUser, presets: leg.presets)
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
            record.bundle = served.hash
            record.server = server
            record.listen = leg.listen
            leg.campaignCall?.tag(&record, answeredBy: leg.presets.answeredBy)
            if leg.holdFlow, leg.campaignCall == nil { record.answeredBy = leg.presets.answeredBy.rawValue }  // `ivrc call` listened first
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
        let served = leg.served ?? self.served
        let flowName = leg.flow < served.bundle.flows.count ? served.bundle.flowName(leg.flow) : ""
        var record = CallRecord(id: leg.callID, flow: flowName, from: leg.fromURI, to: leg.dialledURI, backend: "sip",
                                start: leg.created, answer: leg.answeredAt, end: leg.endedAt ?? Date(),
                                outcome: leg.remoteHungUp ? "caller-hangup" : "error", destination: nil, path: [], inputs: [],
                                error: leg.remoteHungUp ? nil : leg.endReason)
        record.bundle = served.hash
        record.server = serverName
        record.listen = leg.listen
        leg.campaignCall?.tag(&record, answeredBy: .unknown)
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

    /// Waits until the flow of an answered call (`SIPEndpoint.placeCampaignCall`)
    /// has ended and its record is written.
    public func finished(_ leg: CallLeg) async {
        let task = try? await endpoint.eventLoop.submit { leg.task }.get()
        await task?.value
    }

    /// Calls whose record is not written yet.
    public var pendingRecords: Int { pending.withLock { $0 } }

    /// Starts draining: once this returns, new INVITEs and OPTIONS get 503
    /// (`isDraining` is true at once); live calls go on.
    public func beginDraining() async {
        guard let endpoint = box.endpoint else { return }
        endpoint.stopAccepting()
        try? await endpoint.eventLoop.submit {}.get()  // after `stopAccepting`'s own hop
    }

    /// Graceful stop: refuse new calls, let the live ones finish, flush records.
    public func drain() async {
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
    var signallingGroup: MultiThreadedEventLoopGroup?
}
