import Foundation
import IVRTestSupport
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One SIPp run on loopback (`sipp -m 1`, a scenario of scripts/sipp/),
/// as a subprocess: its exit status (0: the scenario passed), its message
/// log (`-trace_msg`) and its error log (`-trace_err`).
final class SIPpRun: Sendable {
    static let scenarios = TestTools.repositoryRoot + "/scripts/sipp/"

    let port: Int
    let folder: String
    let scenario: String
    private let finished: Task<ProcessRun, any Error>

    /// Starts SIPp with `scenario` on `port` (default: a free port) of
    /// 127.0.0.1; `remotePort` makes it a caller of that port. `timeout`
    /// (seconds) bounds the whole run; `calls`: the calls to make (`-m`).
    init(scenario: String, port: Int? = nil, remotePort: Int? = nil, timeout: Int = 60, calls: Int = 1, extra: [String] = []) {
        self.port = port ?? Self.freePort()
        self.scenario = scenario
        folder = NSTemporaryDirectory() + "sipp-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var arguments = ["-sf", Self.scenarios + scenario, "-i", "127.0.0.1", "-p", String(self.port), "-mp", String(Self.freePort()), "-cp", String(Self.freePort()),
                         "-m", String(calls), "-timeout", "\(timeout)s", "-timeout_error", "-nostdin",
                         "-trace_msg", "-message_file", folder + "/messages.log",
                         "-trace_err", "-error_file", folder + "/errors.log"]
        arguments += extra
        if let remotePort { arguments.append("127.0.0.1:\(remotePort)") }
        let folder = folder
        finished = Task { try await runProcess("/usr/bin/env", ["sipp"] + arguments, in: folder, mergingErrors: true) }
    }

    /// The first of four UDP ports nothing is bound to right now, from
    /// 22000-29999: below the kernel's ephemeral range (32768 up, where
    /// port-0 binds of the other suites land) and outside the RTP ranges
    /// the harnesses use, handed out in turn so two SIPp runs of suites
    /// running side by side never pick the same ones. Four, because SIPp
    /// binds its media port and the one two above it.
    static func freePort() -> Int {
        for _ in 0..<2000 {
            let n = nextPort.add(1, ordering: .relaxed).oldValue
            let base = 22000 + (4 * (n + Int(getpid() % 997))) % 8000
            if (0..<4).allSatisfy({ canBind(base + $0) }) { return base }
        }
        return UDPClient().port
    }

    static let nextPort = Atomic(0)

    /// True once SIPp holds its port (it is ready for a call), polling for up to 30 s.
    func listening() async -> Bool {
        for _ in 0..<600 {
            if !Self.canBind(port) { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    static func canBind(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var addr = UDPClient.address("127.0.0.1", port: port)
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    /// Waits for SIPp to end.
    func result() async throws -> ProcessRun { try await finished.value }

    var messages: String { (try? String(contentsOfFile: folder + "/messages.log", encoding: .utf8)) ?? "" }
    var errors: String { (try? String(contentsOfFile: folder + "/errors.log", encoding: .utf8)) ?? "" }

    /// The requests SIPp received with this method, in order.
    func received(_ method: String) -> Int {
        messages.components(separatedBy: "message received").dropFirst().filter { block in
            let lines = block.split(whereSeparator: \.isNewline)
            return lines.count > 1 && lines[1].hasPrefix("\(method) ")
        }.count
    }

    /// The responses SIPp received with this status.
    func receivedResponses(_ status: Int) -> Int {
        messages.components(separatedBy: "message received").dropFirst().filter { block in
            let lines = block.split(whereSeparator: \.isNewline)
            return lines.count > 1 && lines[1].hasPrefix("SIP/2.0 \(status) ")
        }.count
    }

    /// The requests SIPp received with this method, in order, each as
    /// logged (from its request line to the end of its body).
    func requests(_ method: String) -> [SIPMessageView] {
        messages.components(separatedBy: "message received").dropFirst().compactMap { block in
            // Each logged message: " [N] bytes :", a blank line, the message, then the next "-----" separator line.
            let lines = block.components(separatedBy: "\n").map { $0.hasSuffix("\r") ? String($0.dropLast()) : $0 }
            guard let start = lines.firstIndex(where: { $0.hasPrefix("\(method) ") }), start <= 2 else { return nil }
            let message = lines[start...].prefix { !$0.hasPrefix("----------") }
            return SIPMessageView(text: message.joined(separator: "\r\n"))
        }
    }

    /// The value of the first `name:` header line in the message log.
    func firstHeader(_ name: String) -> String? {
        let prefix = name.lowercased() + ":"
        guard let line = messages.split(whereSeparator: \.isNewline).first(where: { $0.lowercased().hasPrefix(prefix) }) else { return nil }
        return line.dropFirst(prefix.count).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// What to show when a check fails.
    func report(_ run: ProcessRun?) -> String {
        "sipp \(scenario): exit \(run.map { String($0.status) } ?? "?")\n\(run?.stdout.suffix(1500) ?? "")\n"
            + "errors:\n\(errors.suffix(2000))\nmessages:\n\(messages.suffix(4000))"
    }

    /// Ends this SIPp run (found by its own folder in its command line):
    /// a callee waiting for a first INVITE never times out (`-timeout`
    /// does not bound a SIPp server with no call yet).
    func kill() {
        guard let pids = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return }
        for pid in pids.compactMap({ Int32($0) }) {
            guard let line = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"),
                  String(decoding: line, as: UTF8.self).contains(folder + "/messages.log") else { continue }
            Glibc.kill(pid, SIGKILL)
        }
    }

    func cleanUp() { try? FileManager.default.removeItem(atPath: folder) }
}
