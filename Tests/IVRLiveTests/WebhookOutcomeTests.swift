import Foundation
import IVRCommands
import IVRTestSupport
import IVRBytecode
@testable import IVRRuntime
import Testing
@testable import IVRLive

/// What `ivrc simulate --live --json` shows for each kind of webhook answer
/// from a real loopback server: the `webhook` event's status and error, and
/// the path taken (`into` or `on-error`).
@Suite(.serialized, .dedicatedExecutor) struct WebhookOutcomeTests {
    /// One call of a flow whose webhook GETs `url` (with `timeout`: long,
    /// so that a loaded machine never turns an answer into a timeout, except
    /// where the timeout is the point); returns the webhook event and the
    /// nodes visited.
    static func call(_ url: String, timeout: String = "20s", options: (inout SimulateRunner.Options) -> Void = { _ in })
        async throws -> (event: [String: Any], visited: [String], code: Int32, output: String) {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("hook.yaml", """
            ivr: hook
            nodes:
              start:
                - webhook:
                    url: \(url)
                    timeout: \(timeout)
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
        o.json = true
        o.live = true
        o.liveServices = LiveServices()  // as the command does: async-http-client
        options(&o)
        let (output, code) = await SimulateRunner.run(o)
        guard code == 0 else { return ([:], [], code, output) }
        let json = try #require(jsonObject(output))
        let events = try #require(json["events"] as? [[String: Any]])
        let webhook = try #require(events.first { $0["event"] as? String == "webhook" })
        return (webhook, json["visited"] as? [String] ?? [], code, output)
    }

    @Test func everyAnswerInTheJSONTranscript() async throws {
        let server = try await TestHTTPServer.start()
        defer { server.stop() }
        // A status outside 200-299 is shown with its number and takes on-error.
        for status in [301, 404, 500, 503] {
            let r = try await Self.call(server.url("/status/\(status)"))
            #expect(r.event["status"] as? Int == status, "\(status)")
            #expect(r.event["error"] as? String == "HTTP \(status)")
            #expect(r.visited == ["start", "failed"])
        }
        // A redirect is followed.
        let redirected = try await Self.call(server.url("/redirect"))
        #expect(redirected.event["status"] as? Int == 200 && redirected.visited == ["start"])
        #expect(redirected.output.contains("Tier [gold]"))
        // No answer, or no status, shows status null and the reason.
        for (path, reason) in [("/malformed", "the response is not valid JSON"), ("/array", "the response is JSON but not an object"),
                               ("/big-chunked", "the response body is larger than 1 MiB"), ("/forever", "no answer within 1000ms")] {
            let r = try await Self.call(server.url(path), timeout: path == "/forever" ? "1s" : "20s")
            #expect(r.event["status"] is NSNull, "\(path)")
            #expect(r.event["error"] as? String == reason, "\(path)")
            #expect(r.visited == ["start", "failed"], "\(path)")
        }
    }

    /// A 2xx without a body (204) is an object without fields: `into` is
    /// set (its fields read empty) and the call goes on.
    @Test func anEmptyAnswerIsAnEmptyObject() async throws {
        let server = try await TestHTTPServer.start()
        defer { server.stop() }
        let r = try await Self.call(server.url("/empty"))
        #expect(r.event["status"] as? Int == 204 && r.event["error"] == nil)
        #expect(r.visited == ["start"])
        #expect(r.output.contains("Tier []"))
    }

    /// A canned answer must be what a live one must be: a JSON object.
    @Test func cannedAnswersMustBeObjects() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("list.json", "[1, 2]")
        for (spec, message) in [("https://api/=[1]", "the response is JSON but not an object"),
                                ("https://api/=\"gold\"", "the response is JSON but not an object"),
                                ("https://api/=@\(folder.file("list.json"))", "list.json is JSON but not an object"),
                                ("https://api/={nope", "the response is not valid JSON")] {
            let r = try await Self.call("https://api/x") { $0.live = false; $0.liveServices = nil; $0.webhooks = [spec] }
            #expect(r.code == 64, "\(spec)")
            #expect(r.output.contains(message), "\(spec): \(r.output)")
        }
        let missing = try await Self.call("https://api/x") { $0.live = false; $0.liveServices = nil; $0.webhooks = ["https://api/=@missing.json"] }
        #expect(missing.code == 2 && missing.output.contains("cannot read missing.json"))
        let canned = try await Self.call("https://api/x") { $0.live = false; $0.liveServices = nil; $0.webhooks = [#"https://api/={"tier":"gold"}"#] }
        #expect(canned.event["status"] as? Int == 200 && canned.visited == ["start"])
    }

    /// `SSL_CERT_FILE` names a CA the command line trusts (a private API's,
    /// or a test server's self-signed certificate).
    @Test func sslCertFileIsTrusted() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let tls = try await TestHTTPServer.makeCertificate(in: folder)
        let server = try await TestHTTPServer.start(tls: tls)
        defer { server.stop() }
        let trusting = HTTPWebhookClient(environment: ["SSL_CERT_FILE": tls.cert])
        #expect(try await trusting.perform(WebhookRequest(method: "GET", url: server.url("/json"), body: nil, timeout: 5000)).status == 200)
        await trusting.shutdown()
        let strict = HTTPWebhookClient(environment: [:])
        await #expect(throws: WebhookFailure.self) {
            try await strict.perform(WebhookRequest(method: "GET", url: server.url("/json"), body: nil, timeout: 5000))
        }
        await strict.shutdown()
    }
}
