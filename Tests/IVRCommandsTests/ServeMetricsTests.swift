import Foundation
import IVRTestSupport
import Testing
@testable import IVRCommands

/// `ivrc serve --metrics` as a process: a real call placed by `ivrc call`,
/// `/metrics` read over HTTP and parsed by the real Prometheus text parser
/// (PyPI's prometheus_client in .build/test-venv), `/healthz` and
/// `/readyz`, and `/readyz` 503 once SIGTERM starts the drain while a call
/// is still live.
@Suite(.serialized, .timeLimit(.minutes(5))) struct ServeMetricsTests {
    static let flows = [
        "main.yaml": """
            ivr: main
            extension: "1000"
            nodes:
              welcome:
                - say: "Hello."
                - hangup

            """,
        // Waits up to 30 s for a key: the caller's side of every call, and a call that stays live.
        "hold.yaml": """
            ivr: hold
            extension: "2000"
            nodes:
              waiting:
                menu:
                  prompt: {say: "Please hold."}
                  options:
                    "1": done
                  timeout: 30s
                  attempts: 1
                  on-exhausted: done
              done: hangup

            """,
    ]

    /// `ivrc serve --metrics 127.0.0.1:0` in the background, with the ports it logs.
    final class Serve: Sendable {
        let pid: pid_t
        let sipPort: Int
        let httpPort: Int
        let log: String
        let records: String

        init(in folder: String) async throws {
            log = folder + "/serve.log"
            records = folder + "/calls.jsonl"
            let binary = try BinaryTests.binary().path
            pid = try SpawnedServer.spawn(["/bin/sh", "-c", "cd '\(folder)' && exec '\(binary)' serve . --tts none --t1 20 "
                                            + "--listen 127.0.0.1:0 --records '\(records)' --metrics 127.0.0.1:0"], log: log)
            var ports: (Int, Int)?
            for _ in 0..<1200 {
                let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                if let sip = Self.number(after: "listening on 127.0.0.1:", in: text),
                   let http = Self.number(after: "metrics on http://127.0.0.1:", in: text) {
                    ports = (sip, http)
                    break
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            (sipPort, httpPort) = ports ?? (0, 0)
            if ports == nil { stop() }
            _ = try #require(ports, "serve did not say where it listens: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        }

        /// The value of an unlabelled sample in the text format (`ivrc_calls_active 1.0`).
        static func sample(_ name: String, in text: String) -> Double? {
            text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.dropFirst(name.count + 1)) }
        }

        static func number(after prefix: String, in text: String) -> Int? {
            text.range(of: prefix).flatMap { Int(text[$0.upperBound...].prefix { $0.isNumber }) }
        }

        var written: [String] {
            ((try? String(contentsOfFile: records, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }

        func signal(_ sig: Int32) { kill(pid, sig) }

        /// True once the process has exited (polls for up to `seconds`).
        func exited(within seconds: Int) async -> Bool {
            var status: Int32 = 0
            for _ in 0..<(seconds * 20) {
                if waitpid(pid, &status, WNOHANG) == pid { return true }
                try? await Task.sleep(for: .milliseconds(50))
            }
            return false
        }

        func stop() {
            kill(-pid, SIGKILL)
            var status: Int32 = 0
            for _ in 0..<100 where waitpid(pid, &status, WNOHANG) == 0 { usleep(50_000) }
        }

        /// `/metrics` once `ready` holds for it (polls for up to 30 s), else the last one read.
        func metrics(until ready: (String) -> Bool) async throws -> String {
            var body = ""
            for _ in 0..<600 {
                body = try await HTTPProbe.request("/metrics", port: httpPort).body
                if ready(body) { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            return body
        }
    }

    static func project() throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        for (name, text) in flows { try folder.write(name, text) }
        return folder
    }

    /// The samples prometheus_client's parser reads from `text`.
    struct Sample: Decodable {
        var family: String
        var type: String
        var name: String
        var labels: [String: String]
        var value: Double
    }

    static func parse(_ text: String, in folder: TemporaryFolder) async throws -> [Sample] {
        try folder.write("metrics.txt", text)
        let script = """
            import json, sys
            from prometheus_client.parser import text_string_to_metric_families
            out = []
            for family in text_string_to_metric_families(open(sys.argv[1]).read()):
                for s in family.samples:
                    out.append({"family": family.name, "type": family.type, "name": s.name, "labels": s.labels, "value": s.value})
            print(json.dumps(out))
            """
        let run = try await runProcess(TestTools.venvPython, ["-c", script, folder.path + "/metrics.txt"])
        try #require(run.status == 0, "prometheus_client refused the text: \(run.stderr)\n\(text)")
        return try JSONDecoder().decode([Sample].self, from: Data(run.stdout.utf8))
    }

    @Test func theMetricsAddress() throws {
        #expect(ServeMetrics.address("127.0.0.1:9464")! == ("127.0.0.1", 9464))
        #expect(ServeMetrics.address(":9464")! == ("0.0.0.0", 9464))
        #expect(ServeMetrics.address("[::1]:0")! == ("::1", 0))
        #expect(ServeMetrics.address("metrics.internal:9464")! == ("metrics.internal", 9464))
        for bad in ["", "9464", "127.0.0.1", "127.0.0.1:99999", "::1:9464", "[::1:9464", "[]:1", "a b:1", "host:port"] {
            #expect(ServeMetrics.address(bad) == nil, "\(bad)")
        }
        do {
            _ = try IVRC.parseAsRoot(["serve", ".", "--metrics", "9464"])
            Issue.record("accepted --metrics 9464")
        } catch {
            #expect(IVRC.message(for: error).contains("--metrics takes HOST:PORT"), "\(IVRC.message(for: error))")
            #expect(IVRC.exitCode(for: error).rawValue == 64)
        }
    }

    @Test(.enabled(if: TestTools.venvImports("prometheus_client"), TestTools.missingPython("prometheus_client (PyPI prometheus-client) is")))
    func aCallShowsInMetricsThatPrometheusParses() async throws {
        let folder = try Self.project()
        defer { folder.remove() }
        let serve = try await Serve(in: folder.path)
        defer { serve.stop() }
        #expect(try await HTTPProbe.request("/healthz", port: serve.httpPort).status == 200)
        #expect(try await HTTPProbe.request("/readyz", port: serve.httpPort).status == 200)
        #expect(try await HTTPProbe.request("/nothing", port: serve.httpPort).status == 404)

        // The caller waits; the served flow says hello and hangs up.
        let call = try await BinaryTests.run(["call", ".", "--to", "sip:1000@127.0.0.1:\(serve.sipPort)", "--flow", "hold",
                                              "--tts", "none", "--t1", "20"], in: folder.path)
        #expect(call.status == 0, "\(call.stderr)")
        for _ in 0..<600 where serve.written.isEmpty { try await Task.sleep(for: .milliseconds(50)) }
        let record = try #require(serve.written.first.flatMap(jsonObject), "no call record: \((try? String(contentsOfFile: serve.log, encoding: .utf8)) ?? "")")
        let outcome = try #require(record["outcome"] as? String)

        let text = try await serve.metrics { $0.contains("ivrc_calls_total{") }
        let samples = try await Self.parse(text, in: folder)
        func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
            samples.first { $0.name == name && $0.labels == labels }?.value
        }
        let calls = samples.filter { $0.name == "ivrc_calls_total" }
        #expect(calls.count == 1, "\(text)")
        #expect(calls.first?.labels == ["flow": "main", "outcome": outcome], "\(text)")
        #expect(calls.first?.value == 1)
        #expect(samples.first { $0.name == "ivrc_calls_total" }?.type == "counter")
        #expect(value("ivrc_calls_active") == 0)
        #expect(value("ivrc_call_setup_seconds_count") == 1)
        #expect(value("ivrc_call_setup_seconds_bucket", ["le": "+Inf"]) == 1)
        #expect((value("ivrc_rtp_packets_sent_total") ?? 0) > 0)
        #expect(value("ivrc_rtp_packets_late_total") != nil)
        #expect(value("ivrc_reloads_total", ["result": "ok"]) == 0)
        #expect(value("ivrc_webhook_errors_total") == 0)
        #expect(value("ivrc_tts_cache_misses_total") == 0, "--tts none renders nothing")
        serve.signal(SIGTERM)
        #expect(await serve.exited(within: 30), "serve exits after the drain")
    }

    @Test func readyzTurns503WhenTheDrainStartsWithACallLive() async throws {
        let folder = try Self.project()
        defer { folder.remove() }
        let serve = try await Serve(in: folder.path)
        defer { serve.stop() }
        let binary = try BinaryTests.binary().path
        // A second node asking for the same metrics port does not start (a ceiling stops one that wrongly does).
        let clash = try await runProcess("/usr/bin/timeout", ["60", binary, "serve", ".", "--tts", "none", "--listen", "127.0.0.1:0",
                                                             "--metrics", "127.0.0.1:\(serve.httpPort)"], in: folder.path)
        #expect(clash.status == 2, "\(clash.stderr)")
        #expect(clash.stderr.contains("error: cannot listen on 127.0.0.1:\(serve.httpPort) for --metrics"), "\(clash.stderr)")
        let caller = try SpawnedServer.spawn(["/bin/sh", "-c", "cd '\(folder.path)' && exec '\(binary)' call . --to "
                                              + "sip:2000@127.0.0.1:\(serve.sipPort) --flow hold --tts none --t1 20"],
                                             log: folder.path + "/call.log")
        defer {
            kill(-caller, SIGKILL)
            var status: Int32 = 0
            for _ in 0..<100 where waitpid(caller, &status, WNOHANG) == 0 { usleep(50_000) }
        }
        let live = try await serve.metrics { Serve.sample("ivrc_calls_active", in: $0) == 1 }
        try #require(Serve.sample("ivrc_calls_active", in: live) == 1, "the call never went live: \(live)")
        #expect(try await HTTPProbe.request("/readyz", port: serve.httpPort).status == 200)

        serve.signal(SIGTERM)
        var ready = 200
        for _ in 0..<400 where ready == 200 {
            ready = try await HTTPProbe.request("/readyz", port: serve.httpPort).status
            if ready == 200 { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(ready == 503)
        #expect(try await HTTPProbe.request("/healthz", port: serve.httpPort).status == 200, "alive while draining")
        let draining = try await serve.metrics { _ in true }
        #expect(Serve.sample("ivrc_calls_active", in: draining) == 1, "the call is still live: \(draining)")

        serve.signal(SIGTERM)  // the second signal hangs up every call
        #expect(await serve.exited(within: 30))
        #expect(serve.written.count == 1, "the live call has its record")
    }
}
