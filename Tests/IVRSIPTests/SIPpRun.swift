import Foundation
import IVRTestSupport
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
    /// (seconds) bounds the whole run.
    init(scenario: String, port: Int? = nil, remotePort: Int? = nil, timeout: Int = 60, extra: [String] = []) {
        self.port = port ?? Self.freePort()
        self.scenario = scenario
        folder = NSTemporaryDirectory() + "sipp-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var arguments = ["-sf", Self.scenarios + scenario, "-i", "127.0.0.1", "-p", String(self.port), "-mp", String(Self.freePort()),
                         "-m", "1", "-timeout", "\(timeout)s", "-timeout_error", "-nostdin",
                         "-trace_msg", "-message_file", folder + "/messages.log",
                         "-trace_err", "-error_file", folder + "/errors.log"]
        arguments += extra
        if let remotePort { arguments.append("127.0.0.1:\(remotePort)") }
        let folder = folder
        finished = Task { try await runProcess("/usr/bin/env", ["sipp"] + arguments, in: folder, mergingErrors: true) }
    }

    /// A UDP port nothing is bound to right now.
    static func freePort() -> Int {
        let probe = UDPClient()
        return probe.port
    }

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

    func cleanUp() { try? FileManager.default.removeItem(atPath: folder) }
}
