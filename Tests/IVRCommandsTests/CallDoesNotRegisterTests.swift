import Foundation
import IVRTestSupport
import Testing

/// `ivrc call` on a project whose manifest has `sip.register` must not
/// register: its passing port would take over the binding that delivers
/// the project's calls to `serve`. `serve` on the same project does
/// register (the control: the test's registrar socket sees REGISTERs).
@Suite struct CallDoesNotRegisterTests {
    @Test func callDoesNotRegisterWhereServeDoes() async throws {
        let registrar = FakeProxySocket()
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
        #expect(await registrar.receive(startingWith: "REGISTER ", timeout: 0.2) == nil, "ivrc call registered")
        // The control: serve on the same project registers. Killed once the REGISTER is seen
        // (or after 90 s without one), so a slow start cannot lose the REGISTER.
        let script = "echo $$ > serve.pid; exec '\(binary)' serve . --tts none --listen 127.0.0.1:0"
        async let served = runProcess("/bin/sh", ["-c", script], in: folder.path, environment: environment)
        let registered = await registrar.receive(startingWith: "REGISTER ", timeout: 90)
        if let pid = Int32((try? String(contentsOfFile: folder.path + "/serve.pid", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "") {
            kill(pid, SIGKILL)
        }
        let serve = try await served
        #expect(registered != nil, "the control: serve registers with the same manifest\n\(serve.stderr)")
    }
}
