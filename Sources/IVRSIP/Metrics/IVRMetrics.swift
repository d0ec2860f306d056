import CoreMetrics
import Synchronization

/// The metrics of one server, made from a swift-metrics factory given to
/// `init` rather than the process-wide `MetricsSystem`, so several servers
/// (and tests running in parallel) each count into their own registry.
/// `IVRMetrics.none` counts nothing (every endpoint without one uses it).
///
/// Names and labels (docs/metrics.md): every name starts with `ivrc_`;
/// label values come from the bundle (flow names), a small fixed set
/// (outcomes, results) or the configuration (registrars, bundle, server),
/// so the number of series stays bounded.
///
/// Hot paths count without a lock per packet: the media clock adds up one
/// tick's packets on its event loop and publishes them once per tick
/// (`rtpTick`); a swift-metrics counter is one atomic add.
public final class IVRMetrics: Sendable {
    /// Counts nothing.
    public static let none = IVRMetrics(factory: NOOPMetricsHandler.instance)

    /// A tick of the media clock that fires more than this after its
    /// deadline counts its packets as late (`ivrc_rtp_packets_late_total`).
    public static let lateAfterNanoseconds: Int64 = 5_000_000

    public enum Name {
        public static let callsActive = "ivrc_calls_active"
        public static let callsTotal = "ivrc_calls_total"
        public static let callSetup = "ivrc_call_setup_seconds"
        public static let rtpPacketsSent = "ivrc_rtp_packets_sent_total"
        public static let rtpPacketsLate = "ivrc_rtp_packets_late_total"
        public static let rtpPortsExhausted = "ivrc_rtp_ports_exhausted_total"
        public static let callsShed = "ivrc_calls_shed_total"
        public static let webhook = "ivrc_webhook_seconds"
        public static let webhookErrors = "ivrc_webhook_errors_total"
        public static let ttsCacheHits = "ivrc_tts_cache_hits_total"
        public static let ttsCacheMisses = "ivrc_tts_cache_misses_total"
        public static let reloads = "ivrc_reloads_total"
        public static let bundleInfo = "ivrc_bundle_info"
        public static let registrationState = "ivrc_registration_state"
    }

    let factory: any MetricsFactory
    /// False for `none`: callers may skip work that only feeds metrics.
    public let enabled: Bool
    let callsActive: Gauge
    let callSetup: CoreMetrics.Timer
    let rtpSent: Counter
    let rtpLate: Counter
    let portsExhausted: Counter
    let callsShed: Counter
    let webhook: CoreMetrics.Timer
    let webhookErrors: Counter
    let ttsHits: Counter
    let ttsMisses: Counter
    let reloadsSucceeded: Counter
    let reloadsFailed: Counter
    /// The labels of the `ivrc_bundle_info` series set last (replaced on reload).
    let bundleInfo = Mutex<(labels: [(String, String)], gauge: Gauge)?>(nil)

    public init(factory: any MetricsFactory) {
        self.factory = factory
        enabled = !(factory is NOOPMetricsHandler)
        callsActive = Gauge(label: Name.callsActive, factory: factory)
        callSetup = CoreMetrics.Timer(label: Name.callSetup, factory: factory)
        rtpSent = Counter(label: Name.rtpPacketsSent, factory: factory)
        rtpLate = Counter(label: Name.rtpPacketsLate, factory: factory)
        portsExhausted = Counter(label: Name.rtpPortsExhausted, factory: factory)
        callsShed = Counter(label: Name.callsShed, factory: factory)
        webhook = CoreMetrics.Timer(label: Name.webhook, factory: factory)
        webhookErrors = Counter(label: Name.webhookErrors, factory: factory)
        ttsHits = Counter(label: Name.ttsCacheHits, factory: factory)
        ttsMisses = Counter(label: Name.ttsCacheMisses, factory: factory)
        reloadsSucceeded = Counter(label: Name.reloads, dimensions: [("result", "ok")], factory: factory)
        reloadsFailed = Counter(label: Name.reloads, dimensions: [("result", "failed")], factory: factory)
        callsActive.record(0)
    }

    // MARK: Calls

    /// The number of live dialogs (set by the endpoint on its loop whenever it changes).
    func callsActive(_ count: Int) { callsActive.record(count) }

    /// An inbound call was answered: the time from its INVITE to the 200 OK sent.
    func callSetUp(nanoseconds: Int64) { callSetup.recordNanoseconds(nanoseconds) }

    /// A new call was refused (503) because the node was overloaded (`ivrc_calls_shed_total`).
    func callShed() { callsShed.increment() }

    /// A call's record was written: one more in `ivrc_calls_total{flow,outcome}`.
    /// An empty flow (a call refused before a flow was chosen) counts as `-`.
    public func callEnded(flow: String, outcome: String) {
        guard enabled else { return }
        Counter(label: Name.callsTotal, dimensions: [("flow", flow.isEmpty ? "-" : flow), ("outcome", outcome)],
                factory: factory).increment()
    }

    // MARK: Media

    /// One tick of a media clock: `sent` packets went out, `late` of them
    /// in ticks that fired more than `lateAfterNanoseconds` after their deadline.
    func rtpTick(sent: Int, late: Int) {
        if sent > 0 { rtpSent.increment(by: sent) }
        if late > 0 { rtpLate.increment(by: late) }
    }

    /// RTP packets sent outside the clock's ticks (relayed by a bridge, DTMF), published when a session closes.
    func rtpSentUnpaced(_ count: Int) {
        if count > 0 { rtpSent.increment(by: count) }
    }

    /// A call was refused because every port of `--rtp-ports` was taken
    /// (`ivrc_rtp_ports_exhausted_total`).
    public func rtpPortsExhausted() { portsExhausted.increment() }

    // MARK: Services

    /// One webhook: how long it took, and whether it failed (no answer, or a status outside 2xx).
    func webhookDone(nanoseconds: Int64, failed: Bool) {
        webhook.recordNanoseconds(nanoseconds)
        if failed { webhookErrors.increment() }
    }

    /// A `say` rendered by the TTS engine: from its disk cache, or synthesized.
    func ttsRendered(cached: Bool) {
        (cached ? ttsHits : ttsMisses).increment()
    }

    // MARK: Operations

    /// A reload (SIGHUP) finished: `ivrc_reloads_total{result="ok"}` or `{result="failed"}`.
    public func reloaded(succeeded: Bool) {
        (succeeded ? reloadsSucceeded : reloadsFailed).increment()
    }

    /// The bundle now serving new calls and the server's name:
    /// `ivrc_bundle_info{bundle,server} 1`; the series of the bundle before is removed.
    public func bundleServing(bundle: String, server: String) {
        let labels = [("bundle", bundle), ("server", server)]
        bundleInfo.withLock { current in
            if let current, current.labels.elementsEqual(labels, by: { $0 == $1 }) { return }
            current?.gauge.destroy()
            let gauge = Gauge(label: Name.bundleInfo, dimensions: labels, factory: factory)
            gauge.record(1)
            current = (labels, gauge)
        }
    }

    /// A registration's state: `ivrc_registration_state{registrar} 1` while registered, else 0.
    func registration(registrar: String, registered: Bool) {
        guard enabled else { return }
        Gauge(label: Name.registrationState, dimensions: [("registrar", registrar)], factory: factory).record(registered ? 1 : 0)
    }
}
