import CoreMetrics
import IVRSIP
import Prometheus

/// `ivrc serve --metrics HOST:PORT`: one Prometheus registry for the
/// process, bootstrapped as swift-metrics' factory (so any library that
/// counts through swift-metrics lands in it too), the server's
/// `IVRMetrics` made from it, and the HTTP pages (`MetricsHTTPServer`) on
/// the server's event loops. Without `--metrics` nothing is bootstrapped
/// and the server counts into `IVRMetrics.none`.
struct ServeMetrics {
    var host: String
    var port: Int
    let registry = PrometheusCollectorRegistry()
    let metrics: IVRMetrics

    /// Bootstraps swift-metrics: call once per process.
    init(host: String, port: Int) {
        self.host = host
        self.port = port
        let factory = PrometheusMetricsFactory(registry: registry)
        MetricsSystem.bootstrap(factory)
        metrics = IVRMetrics(factory: factory)
    }

    /// `HOST:PORT`, `[V6]:PORT` or `:PORT` (every interface); port 0 picks a free one.
    static func address(_ value: String) -> (host: String, port: Int)? {
        guard let colon = value.lastIndex(of: ":"), let port = Int(value[value.index(after: colon)...]),
              (0...65535).contains(port) else { return nil }
        var host = String(value[..<colon])
        if host.hasPrefix("[") {
            guard host.hasSuffix("]"), host.count > 2 else { return nil }
            host = String(host.dropFirst().dropLast())
        } else if host.contains(":") || host.contains(" ") {
            return nil
        }
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }

    /// Serves the pages for `server` (started) on its event loops.
    func serve(_ server: IVRServer) async throws -> MetricsHTTPServer {
        let registry = self.registry
        let pages = MetricsHTTPServer.Pages(metrics: { registry.emitToBuffer() }, ready: { !server.draining })
        return try await MetricsHTTPServer.start(host: host, port: port, group: server.eventLoopGroup, pages: pages)
    }
}
