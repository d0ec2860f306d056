import Foundation
import IVRCommands
import IVRTestSupport
import Testing
import IVRRuntime
import IVRURLSession

/// IVRURLSession's webhook client (URLSession), for library callers of
/// `simulate --live` that do not want SwiftNIO: the same bounds as the
/// command line's client, against the real loopback server.
@Suite(.dedicatedExecutor) struct LiveHTTPFallbackTests {
    static func failure(_ url: String, timeout: Int = 60000) async -> String? {
        do {
            _ = try await LiveHTTP.perform(WebhookRequest(method: "GET", url: url, body: nil, timeout: timeout))
            return nil
        } catch let failure as WebhookFailure {
            return failure.reason
        } catch {
            return "\(error)"
        }
    }

    @Test func answersAndBounds() async throws {
        let server = try await TestHTTPServer.start()
        defer { server.stop() }
        let ok = try await LiveHTTP.perform(WebhookRequest(method: "GET", url: server.url("/json"), body: nil, timeout: 60000))
        #expect(ok.status == 200 && String(decoding: ok.body, as: UTF8.self).contains("gold"))
        let echo = try await LiveHTTP.perform(WebhookRequest(method: "POST", url: server.url("/echo"), body: #"{"a":"1"}"#, timeout: 60000))
        #expect(String(decoding: echo.body, as: UTF8.self).contains("application/json"))
        let missing = try await LiveHTTP.perform(WebhookRequest(method: "GET", url: server.url("/status/404"), body: nil, timeout: 60000))
        #expect(missing.status == 404)

        #expect(await Self.failure(server.url("/big")) == "the response body is larger than 1 MiB")
        #expect(await Self.failure(server.url("/big-chunked")) == "the response body is larger than 1 MiB")
        // A body that never ends and an answer that never comes are both cut
        // at the step's timeout (before, the first filled memory forever).
        #expect(await Self.failure(server.url("/forever"), timeout: 500) != nil)
        #expect(await Self.failure(server.url("/slow?ms=20000"), timeout: 300) == "no answer within 300ms")
        #expect(await Self.failure("ftp://example.com/x") == "invalid URL ftp://example.com/x")
    }

    @Test func cancellingTheCallEndsTheRequest() async throws {
        let server = try await TestHTTPServer.start()
        defer { server.stop() }
        let request = WebhookRequest(method: "GET", url: server.url("/slow?ms=20000"), body: nil, timeout: 3_600_000)
        let call = Task { try await LiveHTTP.perform(request) }
        try await Task.sleep(for: .milliseconds(100))
        call.cancel()
        await #expect(throws: WebhookFailure.self) { try await call.value }
    }

    /// A library caller passes `URLSessionServices` and gets live webhooks;
    /// `live` without services is refused, not silently canned-only.
    @Test func simulateThroughURLSessionServices() async throws {
        let server = try await TestHTTPServer.start()
        defer { server.stop() }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("hook.yaml", """
            ivr: hook
            nodes:
              start:
                - webhook:
                    url: \(server.url("/json"))
                    timeout: 20s
                    into: customer
                    on-error: failed
                - say: "Tier [${customer.tier}]"
                - hangup
              failed:
                - say: Sorry.
                - hangup
            """)
        var o = SimulateRunner.Options(paths: ["hook.yaml"])
        o.currentDirectory = folder.path
        o.live = true
        o.liveServices = URLSessionServices()
        let (output, code) = await SimulateRunner.run(o)
        #expect(code == 0 && output.contains("Tier [gold]"), "\(output)")

        o.liveServices = nil
        let refused = await SimulateRunner.run(o)
        #expect(refused.exitCode == 64 && refused.output.contains("live webhooks need liveServices"))
    }
}
