import Foundation
import IVRSIP
import IVRTestSupport
import NIOCore
import NIOPosix
import Synchronization
import Testing

/// `MetricsHTTPServer` over real TCP connections from `HTTPProbe`: the three
/// pages, the codes for other paths and methods, and that garbage,
/// oversized or silent connections are answered or closed and leave no
/// connection behind.
@Suite(.timeLimit(.minutes(2))) struct MetricsHTTPServerTests {
    /// A server on 127.0.0.1 (a free port) whose `/readyz` follows `ready`.
    final class Fixture: Sendable {
        final class Flag: Sendable {
            let value = Atomic(true)
        }

        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let ready = Flag()
        let server: MetricsHTTPServer

        init(deadline: TimeAmount = MetricsHTTPServer.connectionDeadline) async throws {
            let ready = self.ready
            server = try await MetricsHTTPServer.start(
                host: "127.0.0.1", port: 0, group: group,
                pages: .init(metrics: { Array("# TYPE ivrc_calls_active gauge\nivrc_calls_active 2\n".utf8) },
                             ready: { ready.value.load(ordering: .relaxed) }),
                deadline: deadline)
        }

        func stop() async {
            await server.close()
            try? await group.shutdownGracefully()
        }

        /// True once no connection is open (polls for up to 20 s).
        func allClosed() async -> Bool {
            for _ in 0..<400 {
                if server.connections == 0 { return true }
                try? await Task.sleep(for: .milliseconds(50))
            }
            return false
        }
    }

    @Test func thePagesAndTheirCodes() async throws {
        let f = try await Fixture()
        let port = f.server.port
        let metrics = try await HTTPProbe.request("/metrics", port: port)
        #expect(metrics.status == 200)
        #expect(metrics.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
        #expect(metrics.body.contains("ivrc_calls_active 2"))
        #expect(try await HTTPProbe.request("/metrics?name=x", port: port).status == 200)
        #expect(try await HTTPProbe.request("/healthz", port: port).status == 200)
        #expect(try await HTTPProbe.request("/readyz", port: port).status == 200)
        f.ready.value.store(false, ordering: .relaxed)
        let draining = try await HTTPProbe.request("/readyz", port: port)
        #expect(draining.status == 503)
        #expect(draining.body == "draining\n")
        #expect(try await HTTPProbe.request("/healthz", port: port).status == 200, "healthy while draining")
        #expect(try await HTTPProbe.request("/", port: port).status == 404)
        #expect(try await HTTPProbe.request("/metrics/../x", port: port).status == 404)
        let post = try await HTTPProbe.request("/metrics", method: "POST", port: port, body: "x=1")
        #expect(post.status == 405)
        #expect(post.headers["allow"] == "GET")
        #expect(try await HTTPProbe.request("/readyz", method: "DELETE", port: port).status == 405)
        let big = try await HTTPProbe.request("/metrics", port: port, body: String(repeating: "a", count: 10_000))
        #expect(big.status == 413)
        #expect(await f.allClosed())
        await f.stop()
    }

    /// `maxConnections` silent connections fill the server: one more is
    /// closed at once unanswered; once the deadline has closed the silent
    /// ones, requests are answered again.
    @Test func connectionsBeyondTheLimitAreClosed() async throws {
        let f = try await Fixture(deadline: .seconds(3))
        let port = f.server.port
        let limit = MetricsHTTPServer.maxConnections
        try await withThrowingTaskGroup(of: [UInt8].self) { group in
            for _ in 0..<limit {
                group.addTask { try await HTTPProbe.exchange([], port: port) }
            }
            var full = false
            for _ in 0..<400 where !full {
                full = f.server.connections == limit
                if !full { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(full, "\(f.server.connections) of \(limit) connections admitted")
            let refused = try await HTTPProbe.exchange(Array("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".utf8), port: port)
            #expect(refused.isEmpty, "no answer past the limit")
            for try await answer in group { #expect(answer.isEmpty) }
        }
        #expect(await f.allClosed())
        #expect(try await HTTPProbe.request("/healthz", port: port).status == 200)
        await f.stop()
    }

    /// Random bytes, a header block past NIOHTTP1's limit, and a request
    /// cut short: each gets a 400 or a close, never a crash, and the
    /// server answers the next request as before with no connection left open.
    @Test func garbageIsAnsweredOrClosedAndLeavesNothingOpen() async throws {
        let f = try await Fixture(deadline: .seconds(2))
        let port = f.server.port
        var generator = SeededGenerator(seed: 17)
        for _ in 0..<20 {
            let garbage = (0..<Int.random(in: 1...4000, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let answer = try await HTTPProbe.exchange(garbage, port: port)
            if let response = HTTPProbe.parse(answer) { #expect(response.status == 400) }
        }
        let huge = "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + String(repeating: "b", count: 200_000) + "\r\n\r\n"
        let overflow = try await HTTPProbe.exchange(Array(huge.utf8), port: port)
        #expect(HTTPProbe.parse(overflow).map(\.status) ?? 400 == 400)
        // Half a request, then silence: closed at the deadline.
        let half = try await HTTPProbe.exchange(Array("GET /metr".utf8), port: port)
        #expect(half.isEmpty)
        #expect(try await HTTPProbe.request("/healthz", port: port).status == 200)
        #expect(await f.allClosed(), "\(f.server.connections) connection(s) still open")
        await f.stop()
    }
}
