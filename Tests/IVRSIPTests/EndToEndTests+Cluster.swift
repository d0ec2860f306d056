import Foundation
import IVRTestSupport
import Testing

/// A cluster behind Kamailio (scripts/sip-e2e-cluster.sh, docs/deploy.md):
/// the shipped deploy/kamailio/kamailio.cfg in front of three `ivrc serve`
/// processes on loopback while SIPp places 320 calls through it at 10 a
/// second. During the run node-1 drains (SIGTERM: OPTIONS 503 with
/// Retry-After, /readyz 503, its live calls end and are recorded, it takes
/// no call after), node-2 reloads a changed flow (SIGHUP: records before
/// carry the old bundle's hash, after it the new one, each the SHA-256 of
/// what `ivrc build` makes of those sources), node-3 is killed (SIGKILL)
/// and started again. Under 1% of the calls fail, not counting those lost
/// with node-3; every call SIPp saw answered has exactly one record across
/// the three files; each live node's /metrics parses with
/// `prometheus_client` and its `ivrc_calls_total` equals its records.
/// In `EndToEndTests`, so it never runs beside the PJSIP calls.
extension EndToEndTests {
    @Test(.enabled(if: EndToEndTests.enabled, "IVRC_SKIP_SIP_E2E is set"),
          .enabled(if: TestTools.onPath("kamailio"), TestTools.missing("kamailio", package: "kamailio")),
          .enabled(if: TestTools.onPath("sipp"), TestTools.missing("sipp", package: "sip-tester")),
          .enabled(if: TestTools.venvImports("prometheus_client"), TestTools.missingPython("prometheus_client (PyPI prometheus-client) is")),
          .timeLimit(.minutes(10)))
    func kamailioCluster() async throws {
        try await Self.runScript("scripts/sip-e2e-cluster.sh", checks: [
            "node-1-up", "node-2-up", "node-3-up", "kamailio-up", "drain-options-503", "drain-readyz-503", "reload-logged",
            "node-3-restarted", "sipp-ended", "node-1-exited", "calls-placed", "failed-under-1pct", "one-record-per-answered-call",
            "node-1-drained-calls-recorded", "node-1-no-calls-after-drain", "bundle-before-reload", "bundle-after-reload",
            "records-name-server", "node-2-metrics-parse", "node-2-calls-total-matches-records", "node-3-metrics-parse",
            "node-3-calls-total-matches-records"])
    }
}
