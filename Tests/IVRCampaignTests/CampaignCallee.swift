import Foundation
import IVRSIP
import IVRTestSupport
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// SIPp as every callee of a campaign, in the background
/// (scripts/sipp/callee-campaign-mix.xml: the number's last digit picks
/// answer, busy, no answer, decline, a person or a machine), with its
/// message log. It runs in `folder`, where the person's audio is written
/// first. A person presses 1 (RFC 4733) 3 s after answering; a machine's
/// media is `machines` (SIPp's SDP names its port), which plays the
/// greeting and records what ivrc sends.
final class CampaignCallee: Sendable {
    let port: Int
    let folder: String
    let pid: pid_t
    let machines: MachineCallee

    init(folder: String) throws {
        self.folder = folder
        port = Self.freeUDPPort()
        let media = Self.freeUDPPort()
        let control = Self.freeUDPPort()
        machines = try MachineCallee()
        try Data(G711.encode(Self.person, codec: .pcmu)).write(to: URL(fileURLWithPath: folder + "/person.ulaw"))
        let sipp = [
            "sipp", "-sf", TestTools.repositoryRoot + "/scripts/sipp/callee-campaign-mix.xml", "-i", "127.0.0.1",
            "-p", String(port), "-mp", String(media), "-cp", String(control), "-m", "100000", "-nostdin",
            "-key", "machine_media_port", String(machines.port),
            "-trace_msg", "-message_file", folder + "/sipp-messages.log", "-trace_err", "-error_file", folder + "/sipp-errors.log",
        ].map { "'\($0)'" }.joined(separator: " ")
        // SIPp reads the audio files from its working folder.
        pid = try SpawnedServer.spawn(["sh", "-c", "cd '\(folder)' && exec \(sipp)"], log: folder + "/sipp.out")
    }

    /// Speech-like audio: seeded noise shaped into syllables, 4 a second.
    static func speech(_ seconds: Double, seed: UInt64) -> [Int16] {
        var random = SeededGenerator(seed: seed)
        return (0..<Int(seconds * 8000)).map { i in
            let envelope = 0.35 + 0.65 * abs(sin(Double.pi * 4 * Double(i) / 8000))
            return Int16(Double(Int16.random(in: -9000...9000, using: &random)) * envelope)
        }
    }

    /// A person: "hello" (0.8 s), then silence, waiting for an answer.
    static let person = speech(0.8, seed: 5) + [Int16](repeating: 0, count: 3 * 8000)
    /// A machine: a 4 s greeting, a 0.5 s beep at 1 kHz (`machineBeep`), then a second of silence.
    static let machine = speech(4, seed: 6) + (0..<4000).map { Int16(8000 * sin(2 * Double.pi * 1000 * Double($0) / 8000)) }
        + [Int16](repeating: 0, count: 8000)
    /// The beep's samples in `machine`.
    static let machineBeep = 32_000..<36_000

    private static let portBlock = Mutex(0)

    /// `--rtp-ports` for the next `ivrc call`: a block of 50 ports of
    /// 20002-21998 after the last call's, so that a call never takes the port
    /// of the call before it, to which its machine may still be talking
    /// (`MachineCallee` stops 2 s after ivrc does).
    static func nextRTPPorts() -> String {
        let block = portBlock.withLock { n in
            defer { n = (n + 1) % 40 }
            return n
        }
        return "\(20_002 + 50 * block)-\(20_048 + 50 * block)"
    }

    /// True once SIPp holds its port, polling for up to 30 s.
    func listening() async -> Bool {
        for _ in 0..<600 {
            if !Self.canBind(port) { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    func stop() {
        machines.stop()
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }

    var messages: String { (try? String(contentsOfFile: folder + "/sipp-messages.log", encoding: .utf8)) ?? "" }

    /// The INVITEs SIPp received for each number: distinct Call-IDs (a
    /// retransmission is the same call).
    func invites() -> [String: Int] {
        var calls: [String: Set<String>] = [:]
        for block in messages.components(separatedBy: "message received").dropFirst() {
            // `isNewline`: the messages' CRLF is one Character.
            let lines = block.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let request = lines.first(where: { $0.hasPrefix("INVITE sip:") }),
                  let at = request.firstIndex(of: "@") else { continue }
            let number = String(request[request.index(request.startIndex, offsetBy: "INVITE sip:".count)..<at])
            guard let callID = lines.first(where: { $0.lowercased().hasPrefix("call-id:") }) else { continue }
            calls[number, default: []].insert(String(callID.dropFirst("call-id:".count)).trimmingCharacters(in: .whitespaces))
        }
        return calls.mapValues(\.count)
    }

    static func freeUDPPort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        var bound = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: bound.sin_port))
    }

    static func canBind(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}
