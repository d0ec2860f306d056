import Foundation
import IVRTestSupport
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One Kamailio (Debian `kamailio`) on 127.0.0.1, a free UDP port, with
/// the project's configuration scripts/kamailio/proxy.cfg: a stateful,
/// record-routing relay. It runs in the foreground (`-DD`), logs to
/// standard error (`-E`, into `kamailio.log` of its own temporary folder,
/// which is also its runtime and working folder), one worker (`-n 1`).
/// Every request it relays leaves one `ivrc-e2e: METHOD from IP:PORT to
/// URI` line, which `relayed(_:)` reads.
///
/// Started with posix_spawn (`SpawnedServer`), not Foundation's `Process`:
/// Kamailio closes the descriptors it inherits. Its own process group,
/// SIGTERM unblocked and default: `stop()` ends the main process and its workers.
final class KamailioProxy: Sendable {
    static let template = TestTools.repositoryRoot + "/scripts/kamailio/proxy.cfg"

    let port: Int
    let folder: String
    let pid: pid_t
    private let exited = Mutex(false)

    /// Writes the configuration `template` (proxy.cfg unless told, e.g.
    /// scripts/kamailio/registrar.cfg) with a free port and starts Kamailio.
    init(template: String = KamailioProxy.template) throws {
        port = SIPpRun.freePort()
        folder = NSTemporaryDirectory() + "kamailio-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let config = try String(contentsOfFile: template, encoding: .utf8)
            .replacingOccurrences(of: "KAMAILIO_PORT", with: String(port))
        try config.write(toFile: folder + "/proxy.cfg", atomically: true, encoding: .utf8)
        let arguments = ["kamailio", "-f", folder + "/proxy.cfg", "-DD", "-E", "-n", "1",
                         "-Y", folder, "-w", folder, "-P", folder + "/kamailio.pid", "-m", "32", "-M", "8"]
        pid = try Self.spawn(arguments, log: folder + "/kamailio.log")
    }

    /// Starts Kamailio in a process group of its own (see `SpawnedServer`).
    static func spawn(_ arguments: [String], log: String) throws -> pid_t {
        try SpawnedServer.spawn(arguments, log: log)
    }

    /// Whether the main process is still there (reaps it once it ended).
    var isRunning: Bool {
        exited.withLock { exited in
            if !exited {
                var status: Int32 = 0
                exited = waitpid(pid, &status, WNOHANG) != 0
            }
            return !exited
        }
    }

    /// True once Kamailio answers an OPTIONS addressed to itself with 200
    /// (sent again every 2 s, for up to 60 s); false if it exits first.
    func ready() async -> Bool {
        let probe = UDPClient()
        for attempt in 0..<30 {
            guard isRunning else { return false }
            let callID = "kamailio-ready-\(attempt)-\(UUID().uuidString.prefix(8))"
            probe.send("OPTIONS sip:127.0.0.1:\(port) SIP/2.0\r\n"
                       + "Via: SIP/2.0/UDP 127.0.0.1:\(probe.port);branch=z9hG4bK\(UUID().uuidString.prefix(12));rport\r\n"
                       + "From: <sip:probe@127.0.0.1>;tag=probe\r\nTo: <sip:127.0.0.1:\(port)>\r\n"
                       + "Call-ID: \(callID)\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n",
                       toPort: port)
            if await probe.receiveSIP(timeout: 2, until: { $0.status == 200 && $0.header("Call-ID") == callID }).0 != nil {
                return true
            }
        }
        return false
    }

    /// Everything Kamailio wrote so far.
    var log: String { (try? String(contentsOfFile: folder + "/kamailio.log", encoding: .utf8)) ?? "" }

    /// The `ivrc-e2e:` lines of the requests with this method it relayed
    /// (each `METHOD from IP:PORT to URI`), in order; retransmissions of a
    /// request inside a dialog are relayed, and logged, again.
    func relayed(_ method: String) -> [String] {
        log.split(whereSeparator: \.isNewline).compactMap { line in
            guard let range = line.range(of: "ivrc-e2e: ") else { return nil }
            let entry = String(line[range.upperBound...])
            return entry.hasPrefix("\(method) from ") ? entry : nil
        }
    }

    /// The `ivrc-e2e: refused ...` lines: requests inside a dialog that did
    /// not carry this proxy's Route (answered 404).
    var refused: [String] {
        log.split(whereSeparator: \.isNewline).compactMap { line in
            line.range(of: "ivrc-e2e: refused ").map { String(line[$0.upperBound...]) }
        }
    }

    /// The text after `ivrc-e2e: ` of every such line, in order.
    var events: [String] {
        log.split(whereSeparator: \.isNewline).compactMap { line in
            line.range(of: "ivrc-e2e: ").map { String(line[$0.upperBound...]) }
        }
    }

    /// What to show when a check fails.
    var report: String { "kamailio on 127.0.0.1:\(port), its log:\n\(log.suffix(4000))" }

    /// SIGTERM to the main process (it ends its workers and exits), up to
    /// 10 s; then SIGKILL to what is left of its process group. Removes the
    /// folder. Synchronous, for a `defer` (a failed `#require` skips the rest).
    func stop() {
        if isRunning { kill(pid, SIGTERM) }
        for _ in 0..<200 where isRunning { usleep(50_000) }
        kill(-pid, SIGKILL)
        for _ in 0..<100 where isRunning { usleep(50_000) }
        try? FileManager.default.removeItem(atPath: folder)
    }
}
