import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One dnsmasq (Debian dnsmasq-base) serving DNS on 127.0.0.1 and a free
/// port, in the foreground, with only the records it is given: no
/// upstream servers, no /etc/hosts, no configuration file, no DHCP, no pid
/// file outside its own temporary folder; the names under `domain` are
/// its own (a name it does not know there gets NXDOMAIN). It works as root
/// (it then drops to nobody) and as any other user (port above 1024).
/// Started with `SpawnedServer` (dnsmasq closes inherited descriptors);
/// `stop()` kills it.
public final class DNSMasq: Sendable {
    /// dnsmasq on PATH, else where Debian puts it (/usr/sbin is not on a
    /// user's PATH); nil when it is not installed.
    public static let executable: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let candidates = path.split(separator: ":").map { "\($0)/dnsmasq" } + ["/usr/sbin/dnsmasq", "/sbin/dnsmasq"]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    public static var isInstalled: Bool { executable != nil }

    public let port: Int
    public let folder: String
    public let pid: pid_t
    private let exited = Mutex(false)

    /// `records` are dnsmasq options such as
    /// `--srv-host=_sip._udp.ivr.test,a.ivr.test,5070,10,60` and
    /// `--host-record=a.ivr.test,127.0.0.1`.
    public init(domain: String, records: [String]) throws {
        guard let executable = Self.executable else {
            throw SpawnedServer.SpawnFailed(program: "dnsmasq", code: ENOENT)
        }
        port = Self.freePort()
        folder = NSTemporaryDirectory() + "dnsmasq-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // Readable by nobody, which dnsmasq becomes when started as root.
        try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder)
        let arguments = [executable, "--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--no-poll",
                         "--port=\(port)", "--listen-address=127.0.0.1", "--bind-interfaces",
                         "--pid-file=\(folder)/dnsmasq.pid", "--log-facility=-", "--log-queries",
                         "--local=/\(domain)/", "--cache-size=0"] + records
        pid = try SpawnedServer.spawn(arguments, log: folder + "/dnsmasq.log")
    }

    /// Whether dnsmasq is still running (reaps it once it ended).
    public var isRunning: Bool {
        exited.withLock { exited in
            if !exited {
                var status: Int32 = 0
                exited = waitpid(pid, &status, WNOHANG) != 0
            }
            return !exited
        }
    }

    /// True once dnsmasq answers a query (A of `name`), asked again every
    /// second for up to 60 s; false if it exits first.
    public func ready(asking name: String) async -> Bool {
        for attempt in 0..<60 {
            guard isRunning else { return false }
            let port = self.port
            let answered = await onOwnThread { Self.answers(port: port, name: name, id: UInt16(attempt + 1)) }
            if answered { return true }
        }
        return false
    }

    /// Sends one query (type A, class IN, recursion desired) and waits up
    /// to a second for a response with its id.
    static func answers(port: Int, name: String, id: UInt16) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var wait = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        var query: [UInt8] = [UInt8(id >> 8), UInt8(id & 0xFF), 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]
        for label in name.split(separator: ".") { query += [UInt8(label.utf8.count)] + Array(label.utf8) }
        query += [0, 0, 1, 0, 1]
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let sent = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(fd, query, query.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard sent == query.count else { return false }
        var buffer = [UInt8](repeating: 0, count: 1500)
        let n = recv(fd, &buffer, buffer.count, 0)
        return n >= 12 && buffer[0] == UInt8(id >> 8) && buffer[1] == UInt8(id & 0xFF) && buffer[2] & 0x80 != 0
    }

    /// A port free for both UDP and TCP on 127.0.0.1 (dnsmasq binds both).
    static func freePort() -> Int {
        for _ in 0..<100 {
            let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let port: Int = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { a in
                    guard bind(fd, a, length) == 0, getsockname(fd, a, &length) == 0 else { return 0 }
                    return Int(UInt16(bigEndian: UnsafeRawPointer(a).assumingMemoryBound(to: sockaddr_in.self).pointee.sin_port))
                }
            }
            close(fd)
            if port > 1024, canBindTCP(port) { return port }
        }
        return 0
    }

    static func canBindTCP(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// Everything dnsmasq logged (its queries too).
    public var log: String { (try? String(contentsOfFile: folder + "/dnsmasq.log", encoding: .utf8)) ?? "" }

    /// What to show when a check fails.
    public var report: String { "dnsmasq on 127.0.0.1:\(port), its log:\n\(log.suffix(3000))" }

    /// Kills dnsmasq (SIGKILL to its process group), waits up to 5 s for it
    /// to end, removes the folder. Synchronous, for a `defer`.
    public func stop() {
        kill(-pid, SIGKILL)
        for _ in 0..<100 where isRunning { usleep(50_000) }
        try? FileManager.default.removeItem(atPath: folder)
    }
}
