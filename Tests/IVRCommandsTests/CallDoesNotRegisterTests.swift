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
        let script = """
            '\(binary)' serve . --tts none --listen 127.0.0.1:0 2> serve.err > /dev/null &
            pid=$!
            i=0
            until grep -q "listening on" serve.err || [ $i -ge 600 ]; do sleep 0.1; i=$((i+1)); done
            kill -KILL $pid
            wait $pid
            """
        _ = try await runProcess("/bin/sh", ["-c", script], in: folder.path, environment: environment)
        #expect(await registrar.receive(startingWith: "REGISTER ", timeout: 30) != nil, "the control: serve registers with the same manifest")
    }
}
