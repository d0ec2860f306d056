import Foundation
import IVRRuntime
import IVRTestSupport
import Testing
@testable import IVRSIP

/// The built `ivrc serve` as a process, driven by signals, with a raw SIP
/// client over UDP: SIGTERM drains (OPTIONS and new INVITEs get 503 with
/// Retry-After while the live call finishes and its record is written),
/// SIGHUP reloads the sources (new calls take the new flow, the live call
/// keeps the old one; a source with errors is refused and the old flow
/// still answers).
@Suite(.serialized, .timeLimit(.minutes(4)))
struct ServeSignalsTests {
    /// `serve . --server node-1` in a folder of its own, on a free port it reports.
    final class Node: @unchecked Sendable {
        // NOTE: every property is set in init and only read afterwards.
        let pid: pid_t
        let port: Int
        let folder: String
        let log: String
        let records: String
        let client = UDPClient()

        init(folder: String, options: String = "") async throws {
            self.folder = folder
            log = folder + "/serve.log"
            records = folder + "/calls.jsonl"
            let binary = try #require(KamailioTests.ivrcBinary, "build the ivrc executable first (swift build)")
            let rtp = 50_000 + 100 * Int.random(in: 0..<20)
            pid = try SpawnedServer.spawn(["/bin/sh", "-c", "cd '\(folder)' && exec '\(binary)' serve . --tts none --t1 20 "
                                            + "--listen 127.0.0.1:0 --rtp-ports \(rtp)-\(rtp + 99) --server node-1 "
                                            + "--records '\(records)' \(options)"], log: log)
            var found: Int?
            for _ in 0..<1200 {
                if let range = Self.text(log).range(of: "listening on 127.0.0.1:") {
                    found = Int(Self.text(log)[range.upperBound...].prefix { $0.isNumber })
                    break
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            port = found ?? 0
            if found == nil { stop() }
            _ = try #require(found, "serve did not say it listens: \(Self.text(log))")
        }

        static func text(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

        var logText: String { Self.text(log) }

        /// The call records written so far.
        var written: [CallRecord] { Self.text(records).split(separator: "\n").compactMap { CallRecord.parse(line: $0) } }

        func record(_ callID: String) async -> CallRecord? {
            for _ in 0..<600 {
                if let r = written.first(where: { $0.id == callID }) { return r }
                try? await Task.sleep(for: .milliseconds(50))
            }
            return nil
        }

        /// True once the log holds `text` (polls for up to 30 s).
        func logs(_ text: String, count: Int = 1) async -> Bool {
            for _ in 0..<600 {
                if logText.components(separatedBy: text).count > count { return true }
                try? await Task.sleep(for: .milliseconds(50))
            }
            return false
        }

        /// The exit status once the process ended by itself (polls for up to 30 s), else nil.
        func exitStatus() async -> Int32? {
            var status: Int32 = 0
            for _ in 0..<600 {
                if waitpid(pid, &status, WNOHANG) == pid { return status }
                try? await Task.sleep(for: .milliseconds(50))
            }
            return nil
        }

        func stop() {
            kill(-pid, SIGKILL)
            var status: Int32 = 0
            for _ in 0..<100 where waitpid(pid, &status, WNOHANG) == 0 { usleep(50_000) }
        }

        func request(_ method: String, user: String = "100", callID: String, toTag: String? = nil, body: String = "") -> String {
            var s = "\(method) sip:\(user)@127.0.0.1:\(port) SIP/2.0\r\n"
            s += "Via: SIP/2.0/UDP 127.0.0.1:\(client.port);branch=z9hG4bK\(UUID().uuidString.prefix(8));rport\r\n"
            s += "From: <sip:tester@127.0.0.1>;tag=caller\r\nTo: <sip:\(user)@127.0.0.1>\(toTag.map { ";tag=\($0)" } ?? "")\r\n"
            s += "Call-ID: \(callID)\r\nCSeq: 1 \(method)\r\nContact: <sip:tester@127.0.0.1:\(client.port)>\r\nMax-Forwards: 70\r\n"
            if !body.isEmpty { s += "Content-Type: application/sdp\r\n" }
            return s + "Content-Length: \(body.utf8.count)\r\n\r\n" + body
        }

        func options(_ callID: String) async -> SIPMessageView? {
            for _ in 0..<5 {
                client.send(request("OPTIONS", callID: callID), toPort: port)
                if let answer = await client.receiveSIP(timeout: 2, until: { $0.status != nil && $0.header("Call-ID") == callID }).0 {
                    return answer
                }
            }
            return nil
        }

        /// INVITE and the final answer (ACKed when 200).
        func invite(_ callID: String, rtp: UDPClient) async -> SIPMessageView? {
            let sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio \(rtp.port) RTP/AVP 0 101\r\n"
                + "a=rtpmap:101 telephone-event/8000\r\n"
            client.send(request("INVITE", callID: callID, body: sdp), toPort: port)
            let answer = await client.receiveSIP {
                $0.isInviteResponse && $0.header("Call-ID") == callID && ($0.status ?? 0) >= 200
            }.0
            if let answer, answer.status == 200 { client.send(request("ACK", callID: callID, toTag: answer.toTag), toPort: port) }
            return answer
        }
    }

    static let waiting = ServerHarness.flow

    static let changed = """
        ivr: main
        extension: "100"
        nodes:
          changed:
            - play: goodbye.pcm
            - hangup

        """

    static let broken = """
        ivr: main
        extension: "100"
        nodes:
          start:
            menu:
              prompt: {say: "Press 1"}
              options:
                "1": nowhere

        """

    /// A project folder with `flow` as main.yaml and the 3 s "Goodbye" of `ServerHarness`.
    static func project(_ flow: String) throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        try folder.write("main.yaml", flow)
        let goodbye = Tone.sine(hz: 440, milliseconds: 3000, amplitude: 2000).flatMap {
            [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)]
        }
        try Data(goodbye).write(to: URL(fileURLWithPath: folder.file("goodbye.pcm")))
        return folder
    }

    /// The hash serve's records carry for the sources in `folder`, as they are now.
    static func hash(of folder: String) throws -> String {
        ServedBundle.hash(try FlowBuild.build(paths: ["."], currentDirectory: folder).get().bytes)
    }

    static func press1(_ ok: SIPMessageView, _ rtp: UDPClient) {
        guard let port = ok.audioPort else { return }
        for packet in ServerHarness.keyPress(1, timestamp: 8000, sequence: 10) { rtp.send(packet, toPort: port) }
    }

    @Test func sigtermDrainsWith503WhileTheLiveCallFinishes() async throws {
        let project = try Self.project(Self.waiting)
        defer { project.remove() }
        let node = try await Node(folder: project.path)
        defer { node.stop() }
        let before = await node.options("probe-1")
        #expect(before?.status == 200, "\(node.logText)")

        let rtp = UDPClient()
        let ok = try #require(await node.invite("live", rtp: rtp), "\(node.logText)")
        #expect(ok.status == 200)
        kill(node.pid, SIGTERM)
        #expect(await node.logs("shutting down"), "\(node.logText)")

        let after = await node.options("probe-2")
        #expect(after?.status == 503, "\(after?.text ?? "no answer")")
        #expect(after?.header("Retry-After") == "30")
        let late = await node.invite("late", rtp: UDPClient())
        #expect(late?.status == 503)
        #expect(late?.header("Retry-After") == "30")

        Self.press1(ok, rtp)
        #expect(await ServerHarness.hearGoodbye(rtp), "the live call still runs its flow")
        let status = await node.exitStatus()
        #expect(status == 0, "serve exits by itself once the call is over: \(node.logText)")
        let record = try #require(await node.record("live"), "\(node.logText)")
        #expect(record.path == ["welcome", "bye"])
        #expect(record.outcome == "hangup")
        #expect(record.server == "node-1")
        #expect(record.listen == "udp:127.0.0.1:\(node.port)")
        #expect(record.bundle == (try Self.hash(of: project.path)))
        #expect(node.written.count == 1, "the refused call has no record")
    }

    /// `serve --realtime-media`: the node says whether its loops run under
    /// SCHED_RR (as this process may, tried on a thread of its own) or
    /// were refused, and serves either way.
    @Test func realtimeMediaIsTakenOrRefusedAndSaidSo() async throws {
        let permitted = try await RealtimePriorityTests.permitted(RealtimePriority.defaultPriority)
        let project = try Self.project(Self.waiting)
        defer { project.remove() }
        let node = try await Node(folder: project.path, options: "--realtime-media")
        defer { node.stop() }
        let said = permitted ? "event loops run under real-time scheduling (SCHED_RR 10)"
            : "real-time scheduling (SCHED_RR 10) refused: not permitted"
        #expect(await node.logs(said), "permitted: \(permitted): \(node.logText)")
        #expect(await node.options("probe")?.status == 200, "\(node.logText)")
    }

    @Test func sighupReloadsNewCallsTakeTheNewFlowAndBrokenSourcesAreRefused() async throws {
        let project = try Self.project(Self.waiting)
        defer { project.remove() }
        let node = try await Node(folder: project.path)
        defer { node.stop() }
        let first = try Self.hash(of: project.path)

        let rtpA = UDPClient()
        let okA = try #require(await node.invite("before-reload", rtp: rtpA), "\(node.logText)")
        #expect(okA.status == 200)

        try project.write("main.yaml", Self.changed)
        let second = try Self.hash(of: project.path)
        kill(node.pid, SIGHUP)
        #expect(await node.logs("reloaded ."), "\(node.logText)")
        #expect(node.logText.contains(String(second.prefix(12))))

        let okB = await node.invite("after-reload", rtp: UDPClient())
        #expect(okB?.status == 200, "no call is refused after a reload")
        let b = try #require(await node.record("after-reload"), "\(node.logText)")
        #expect(b.path == ["changed"])
        #expect(b.bundle == second)

        try project.write("main.yaml", Self.broken)
        kill(node.pid, SIGHUP)
        #expect(await node.logs("refused"), "\(node.logText)")
        #expect(node.logText.contains("nowhere"), "the log says why: \(node.logText)")
        let okC = await node.invite("after-refusal", rtp: UDPClient())
        #expect(okC?.status == 200)
        let c = try #require(await node.record("after-refusal"))
        #expect(c.path == ["changed"], "the old flow still answers")
        #expect(c.bundle == second)

        // The call that started before the reloads ran the first flow to its end.
        Self.press1(okA, rtpA)
        let a = try #require(await node.record("before-reload"), "\(node.logText)")
        #expect(a.path == ["welcome", "bye"])
        #expect(a.outcome == "hangup")
        #expect(a.bundle == first)

        kill(node.pid, SIGTERM)
        #expect(await node.exitStatus() == 0, "\(node.logText)")
    }
}
