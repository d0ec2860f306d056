import Foundation
import IVRTestSupport
import IVRBytecode
@testable import IVRRuntime
import Testing
@testable import IVRLive

/// Webhooks against a real HTTP server on loopback: good, slow, failing,
/// malformed and oversize answers, and HTTPS.
@Suite(.serialized) struct HTTPWebhookClientTests {
    static func request(_ url: String, method: String = "GET", body: String? = nil, timeout: Int = 15000) -> WebhookRequest {
        WebhookRequest(method: method, url: url, body: body, timeout: timeout)
    }

    /// The failure reason of a request that must fail.
    static func failure(_ client: HTTPWebhookClient, _ r: WebhookRequest) async -> String? {
        do {
            _ = try await client.perform(r)
            return nil
        } catch let f as WebhookFailure {
            return f.reason
        } catch {
            return "unexpected \(error)"
        }
    }

    @Test func answersAndFailures() async throws {
        let server = try await TestHTTPServer.start()
        let client = HTTPWebhookClient()
        defer { server.stop() }

        let ok = try await client.perform(Self.request(server.url("/json")))
        #expect(ok.status == 200)
        #expect(String(decoding: ok.body, as: UTF8.self) == #"{"tier":"gold","name":{"first":"Ada"}}"#)

        let echo = try await client.perform(Self.request(server.url("/echo"), method: "POST", body: #"{"account":"12345678","n":3}"#))
        let echoed = try #require(jsonObject(String(decoding: echo.body, as: UTF8.self)))
        #expect(echoed["method"] as? String == "POST")
        #expect(echoed["contentType"] as? String == "application/json")
        #expect((echoed["body"] as? [String: Any])?["account"] as? String == "12345678")
        // A GET sends no body, even when the step has one.
        let get = try await client.perform(Self.request(server.url("/echo"), body: #"{"x":1}"#))
        #expect(jsonObject(String(decoding: get.body, as: UTF8.self))?["method"] as? String == "GET")
        #expect(jsonObject(String(decoding: get.body, as: UTF8.self))?["body"] is NSNull)

        let empty = try await client.perform(Self.request(server.url("/empty")))
        #expect(empty.status == 204 && empty.body.isEmpty)

        #expect(await Self.failure(client, Self.request(server.url("/status/503"))) == "HTTP 503")
        #expect(await Self.failure(client, Self.request(server.url("/status/404"))) == "HTTP 404")
        #expect(await Self.failure(client, Self.request(server.url("/malformed"))) == "the response is not valid JSON")
        #expect(await Self.failure(client, Self.request(server.url("/array"))) == "the response is JSON but not an object")
        #expect(await Self.failure(client, Self.request(server.url("/big"))) == "the response body is larger than 1 MiB")
        #expect(await Self.failure(client, Self.request(server.url("/big-chunked"))) == "the response body is larger than 1 MiB")
        #expect(await Self.failure(client, Self.request(server.url("/hangup")))?.hasPrefix("request failed") == true)
        #expect(await Self.failure(client, Self.request("ftp://example.com/x")) == "invalid URL ftp://example.com/x")
        #expect(await Self.failure(client, Self.request("not a url")) == "invalid URL not a url")

        // A slow answer is cut at the step's timeout: the failure names the
        // timeout, and it came before the answer would have (20 s). No tighter
        // bound: this suite shares the busy test pool (CI measured 11 s here).
        let clock = ContinuousClock()
        let started = clock.now
        #expect(await Self.failure(client, Self.request(server.url("/slow?ms=20000"), timeout: 300)) == "no answer within 300ms")
        #expect(clock.now - started < .seconds(19))
        // The client still works after all that.
        #expect(try await client.perform(Self.request(server.url("/slow?ms=50"))).status == 200)
        await client.shutdown()
    }

    @Test func connectionRefused() async throws {
        // A port that was free a moment ago: the server stopped.
        let server = try await TestHTTPServer.start()
        let url = server.url("/json")
        server.stop()
        let client = HTTPWebhookClient()
        // Not retried until the step's (default 3 s) timeout: the real reason shows.
        let reason = await Self.failure(client, Self.request(url, timeout: 3000))
        #expect(reason?.hasPrefix("request failed") == true, "\(reason ?? "")")
        await client.shutdown()
    }

    @Test func https() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let tls = try await TestHTTPServer.makeCertificate(in: folder)
        let server = try await TestHTTPServer.start(tls: tls)
        defer { server.stop() }

        let trusting = HTTPWebhookClient(trustRootsPEM: [tls.cert])
        let ok = try await trusting.perform(Self.request(server.url("/json")))
        #expect(ok.status == 200 && !ok.body.isEmpty)
        await trusting.shutdown()

        // Without the test CA, the self-signed certificate is refused.
        let strict = HTTPWebhookClient()
        let reason = await Self.failure(strict, Self.request(server.url("/json"), timeout: 3000))
        #expect(reason?.hasPrefix("request failed") == true, "\(reason ?? "")")
        await strict.shutdown()
    }

    /// The interpreter with real webhooks: the answer lands in `into`
    /// (`customer.tier` readable); a failure takes `on-error`.
    @Test func flowUsesTheAnswerOrTakesOnError() async throws {
        let server = try await TestHTTPServer.start()
        defer { server.stop() }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        // Answers get a long timeout (a loaded machine must not turn one into
        // a timeout); only the slow answer is meant to time out.
        func flow(_ path: String) -> String {
            let timeout = path.hasPrefix("/slow") ? "500ms" : "20s"
            return """
            ivr: lookup
            nodes:
              start:
                - webhook:
                    url: \(server.url(path))?caller=${caller}
                    method: POST
                    body: {caller: "${caller}"}
                    timeout: \(timeout)
                    into: customer
                    on-error: failed
                - branch:
                    - if: customer.tier == "gold"
                      then: gold
                    - else: failed
              gold:
                - say: "Hello ${customer.name.first}, gold member."
                - hangup
              failed:
                - say: Sorry.
                - hangup
            """
        }
        let services = LiveServices()
        for (path, expectedNode) in [("/json", "gold"), ("/status/500", "failed"), ("/malformed", "failed"),
                                     ("/slow?ms=2000", "failed"), ("/big", "failed"), ("/array", "failed")] {
            try folder.write("lookup.yaml", flow(path))
            let bundle = try FlowBuild.build(paths: ["lookup.yaml"], currentDirectory: folder.path).get().bundle
            let backend = LiveBackend(wrapping: ScriptedBackend(tokens: []), services: services)
            let report = await CallDriver.run(bundle, flow: 0, backend: backend, caller: "+15551234567")
            #expect(report.visited == ["start", expectedNode], "\(path)")
            if expectedNode == "gold" {
                #expect(report.events.contains { $0.kind == .say(text: "Hello Ada, gold member.") })
            } else {
                let failed = report.events.contains { if case .webhook(_, _, let e?) = $0.kind { !e.isEmpty } else { false } }
                #expect(failed, "\(path): the transcript says why")
            }
        }
        await services.shutdown()
    }
}
