import Foundation
import IVRTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `ivrc call` on a project whose manifest has `sip.register` must not
/// register: its passing port would take over the binding that delivers
/// the project's calls to `serve`. `serve` on the same project does
/// register (the control: the test's registrar socket sees REGISTERs).
@Suite struct CallDoesNotRegisterTests {
    /// A UDP socket on 127.0.0.1 that counts REGISTER requests.
    final class Registrar {
        let fd: Int32
        let port: Int
        init() {
            let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
            self.fd = fd
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            var len = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
            _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
            port = Int(UInt16(bigEndian: addr.sin_port))
            var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }
        deinit { close(fd) }

        /// The REGISTERs already waiting in the socket's buffer.
        func registers() -> Int {
            var count = 0
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = recv(fd, &buffer, buffer.count, 0)
                guard n > 0 else { return count }
                if String(decoding: buffer[0..<n], as: UTF8.self).hasPrefix("REGISTER ") { count += 1 }
            }
        }
    }

    @Test func callDoesNotRegisterWhereServeDoes() async throws {
        let registrar = Registrar()
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("ivr-project.yaml", """
            name: acme
            sip:
              register:
                - registrar: "sip:127.0.0.1:\(registrar.port)"
                  aor: "sip:4420@127.0.0.1"
                  password-env: REG_PASSWORD
                  flow: main

            """)
        try folder.write("main.yaml", validFlow)
        var environment = ProcessInfo.processInfo.environment
        environment["REG_PASSWORD"] = "pw"
        let binary = try BinaryTests.binary().path
        // The callee never answers (nothing listens on port 9): the call ends after 64*T1 = 1.28 s.
        let call = try await runProcess("/usr/bin/timeout", ["120", binary, "call", ".", "--to", "sip:1001@127.0.0.1:9", "--flow", "main",
                                                            "--tts", "none", "--t1", "20"], in: folder.path, environment: environment)
        #expect(call.status == 1, "\(call.stderr)")
        // Registrations start before the INVITE goes out: any REGISTER is in the buffer by now.
        #expect(registrar.registers() == 0, "ivrc call registered")
        let script = """
            '\(binary)' serve . --tts none --listen 127.0.0.1:0 2> serve.err > /dev/null &
            pid=$!
            i=0
            until grep -q "listening on" serve.err || [ $i -ge 600 ]; do sleep 0.1; i=$((i+1)); done
            kill -KILL $pid
            wait $pid
            """
        _ = try await runProcess("/bin/sh", ["-c", script], in: folder.path, environment: environment)
        #expect(registrar.registers() >= 1, "the control: serve registers with the same manifest")
    }
}
