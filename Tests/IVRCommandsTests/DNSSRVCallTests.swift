import Foundation
import IVRSIP
import IVRTestSupport
import Testing

/// RFC 3263 end to end with the built binary: dnsmasq serves
/// `_sip._udp.ivr.test` with two targets, priority 10 and 20, both
/// `ivrc serve` (or a fake that answers 503) on 127.0.0.1 with ports of
/// their own; `ivrc call --to sip:1000@ivr.test --dns-server` reaches the
/// priority-10 one, and the priority-20 one when the first is down
/// (Timer B, 64*T1 with `--t1 20`) or answers 503.
@Suite(.serialized, .enabled(if: DNSMasq.isInstalled, TestTools.missing("dnsmasq", package: "dnsmasq-base")),
       .timeLimit(.minutes(5)))
struct DNSSRVCallTests {
    static let flow = """
        ivr: main
        extension: "1000"
        nodes:
          welcome:
            - say: "Hello."
            - hangup

        """

    /// One `ivrc serve` in the background, on a free port it reports.
    final class Serve: Sendable {
        let pid: pid_t
        let port: Int
        let log: String
        let records: String

        init(in folder: String, name: String) async throws {
            log = folder + "/\(name).log"
            records = folder + "/\(name).jsonl"
            let binary = try BinaryTests.binary().path
            pid = try SpawnedServer.spawn(["/bin/sh", "-c", "cd '\(folder)' && exec '\(binary)' serve . --tts none --t1 20 "
                                            + "--listen 127.0.0.1:0 --records '\(records)'"], log: log)
            var found: Int?
            for _ in 0..<1200 {
                let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                if let range = text.range(of: "listening on 127.0.0.1:") {
                    found = Int(text[range.upperBound...].prefix { $0.isNumber })
                    break
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            port = found ?? 0
            if found == nil { stop() }
            _ = try #require(found, "serve did not say it listens: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        }

        /// The call records it wrote.
        var written: [String] {
            ((try? String(contentsOfFile: records, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }

        /// The records once `count` are written (serve writes a call's
        /// record just after its BYE, which `call` may exit before), or
        /// what there is after 30 s.
        func written(_ count: Int) async -> [String] {
            for _ in 0..<600 where written.count < count { try? await Task.sleep(for: .milliseconds(50)) }
            return written
        }

        func stop() {
            kill(-pid, SIGKILL)
            var status: Int32 = 0
            for _ in 0..<100 where waitpid(pid, &status, WNOHANG) == 0 { usleep(50_000) }
        }
    }

    static func dnsmasq(first: Int, second: Int) async throws -> DNSMasq {
        let dns = try DNSMasq(domain: "ivr.test", records: [
            "--srv-host=_sip._udp.ivr.test,first.ivr.test,\(first),10,0",
            "--srv-host=_sip._udp.ivr.test,second.ivr.test,\(second),20,0",
            "--host-record=first.ivr.test,127.0.0.1",
            "--host-record=second.ivr.test,127.0.0.1",
        ])
        guard await dns.ready(asking: "probe.ivr.test") else {
            defer { dns.stop() }
            throw SpawnedServer.SpawnFailed(program: "dnsmasq (no answer: \(dns.report))", code: 0)
        }
        return dns
    }

    static func call(_ folder: TemporaryFolder, dns: DNSMasq) async throws -> BinaryTests.Run {
        try await BinaryTests.run(["call", ".", "--to", "sip:1000@ivr.test", "--flow", "main", "--tts", "none", "--t1", "20",
                                   "--dns-server", "127.0.0.1:\(dns.port)"], in: folder.path)
    }

    static func project() throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        try folder.write("main.yaml", flow)
        return folder
    }

    /// The priority-10 target gets the call; once it is down, the
    /// priority-20 one does, after Timer B on the first.
    @Test func theLowerPriorityFirstThenTheOtherWhenItIsDown() async throws {
        let folder = try Self.project()
        defer { folder.remove() }
        let first = try await Serve(in: folder.path, name: "first")
        defer { first.stop() }
        let second = try await Serve(in: folder.path, name: "second")
        defer { second.stop() }
        let dns = try await Self.dnsmasq(first: first.port, second: second.port)
        defer { dns.stop() }

        let reached = try await Self.call(folder, dns: dns)
        #expect(reached.status == 0, "\(reached.stderr)\n\(dns.report)")
        #expect(await first.written(1).count == 1, "the priority-10 target has the call's record: \(reached.stderr)")
        #expect(second.written.isEmpty)
        // Both records say which node ran the call: serve's, by default, the host name.
        let host = IVRServer.hostName
        #expect(first.written.first?.contains(#""listen":"udp:127.0.0.1:\#(first.port)""#) == true, "\(first.written)")
        #expect(first.written.first?.contains(#""server":"\#(host)""#) == true, "\(first.written)")
        #expect(reached.stdout.contains(#""listen":"udp:127.0.0.1:"#) && reached.stdout.contains(#""server":"\#(host)""#)
                && reached.stdout.contains(#""bundle":""#), "ivrc call's record: \(reached.stdout)")
        #expect(dns.log.contains("query[SRV] _sip._udp.ivr.test"), "\(dns.report)")

        first.stop()
        let failedOver = try await Self.call(folder, dns: dns)
        #expect(failedOver.status == 0, "\(failedOver.stderr)")
        #expect(await second.written(1).count == 1, "the priority-20 target has the second call's record: \(failedOver.stderr)")
        #expect(failedOver.stderr.contains("udp:127.0.0.1:\(first.port)"), "the log names the target tried first: \(failedOver.stderr)")
        #expect(failedOver.stderr.contains("trying udp:127.0.0.1:\(second.port)"), "\(failedOver.stderr)")
    }

    /// A 503 from the priority-10 target (ACKed) sends the INVITE, with a
    /// new branch, to the priority-20 one.
    @Test func a503MovesOnToTheNextTarget() async throws {
        let folder = try Self.project()
        defer { folder.remove() }
        let busy = FakeProxySocket()
        let second = try await Serve(in: folder.path, name: "second")
        defer { second.stop() }
        let dns = try await Self.dnsmasq(first: busy.port, second: second.port)
        defer { dns.stop() }

        async let run = Self.call(folder, dns: dns)
        let invite = await busy.receive(startingWith: "INVITE ", timeout: 60)
        var ack: FakeProxySocket.Datagram?
        if let invite {
            busy.respond(to: invite, "503 Service Unavailable")
            ack = await busy.receive(startingWith: "ACK ", timeout: 60)
        }
        let result = try await run
        let got = try #require(invite, "no INVITE reached the priority-10 target: \(result.stderr)")
        #expect(got.firstLine == "INVITE sip:1000@ivr.test SIP/2.0")
        #expect(ack != nil, "the 503 is ACKed")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(await second.written(1).count == 1, "the priority-20 target has the call's record: \(result.stderr)")
        #expect(result.stderr.contains("503"), "\(result.stderr)")
    }
}
