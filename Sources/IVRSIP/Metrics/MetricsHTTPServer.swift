import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// `ivrc serve --metrics HOST:PORT`: a small HTTP/1.1 server on the SIP
/// server's event loops with three pages (`MetricsRequestHandler`):
/// `/metrics` (Prometheus text format 0.0.4), `/healthz` (200 while the
/// process runs) and `/readyz` (200, or 503 while draining).
///
/// Bounded so a stranger cannot make it hold memory or sockets: at most
/// `maxConnections` at once (more are closed at once), one request per
/// connection (answered with `Connection: close`), a request body of at
/// most `maxBodyBytes` (413), headers within NIOHTTP1's parser limit (400
/// past it, as for any stream that is not HTTP), and every connection
/// closed `connectionDeadline` after it opened whatever it sent.
public final class MetricsHTTPServer: Sendable {
    /// What the pages show, asked at each request (on an event loop: keep them quick).
    public struct Pages: Sendable {
        /// The `/metrics` body: Prometheus text format.
        public var metrics: @Sendable () -> [UInt8]
        /// False while draining: `/readyz` answers 503.
        public var ready: @Sendable () -> Bool

        public init(metrics: @escaping @Sendable () -> [UInt8], ready: @escaping @Sendable () -> Bool) {
            self.metrics = metrics
            self.ready = ready
        }
    }

    public static let maxConnections = 64
    public static let maxBodyBytes = 4096
    public static let connectionDeadline: TimeAmount = .seconds(10)

    let channel: Channel
    /// Connections open now (for the limit, and for tests).
    let open: OpenConnections
    /// The port bound (the one asked for, or the one chosen for port 0).
    public let port: Int

    init(channel: Channel, open: OpenConnections) {
        self.channel = channel
        self.open = open
        self.port = channel.localAddress?.port ?? 0
    }

    /// Binds HOST:PORT (port 0: any free port, see `port`) on `group` and
    /// starts answering; each connection is closed `deadline` after it opened.
    public static func start(host: String, port: Int, group: EventLoopGroup, pages: Pages,
                             deadline: TimeAmount = connectionDeadline) async throws -> MetricsHTTPServer {
        let open = OpenConnections()
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                guard open.admit() else {
                    return channel.close()
                }
                channel.closeFuture.whenComplete { _ in open.left() }
                let timer = channel.eventLoop.scheduleTask(in: deadline) { channel.close(promise: nil) }
                channel.closeFuture.whenComplete { _ in timer.cancel() }
                do {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(MetricsRequestHandler(pages: pages))
                    return channel.eventLoop.makeSucceededVoidFuture()
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
            }
            .childChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port).get()
        return MetricsHTTPServer(channel: channel, open: open)
    }

    /// Connections open now.
    public var connections: Int { open.count }

    /// Stops listening (connections in progress finish or meet their deadline).
    public func close() async {
        try? await channel.close().get()
    }
}

/// The count of open connections, shared by the server's channel initializer.
final class OpenConnections: Sendable {
    private let value = Atomic(0)

    var count: Int { value.load(ordering: .relaxed) }

    /// Counts one more unless `MetricsHTTPServer.maxConnections` are open.
    func admit() -> Bool {
        var current = value.load(ordering: .relaxed)
        while current < MetricsHTTPServer.maxConnections {
            let (exchanged, original) = value.compareExchange(expected: current, desired: current + 1, ordering: .relaxed)
            if exchanged { return true }
            current = original
        }
        return false
    }

    func left() { value.subtract(1, ordering: .relaxed) }
}
