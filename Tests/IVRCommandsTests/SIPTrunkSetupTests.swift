import Foundation
import IVRBytecode
import IVRSIP
import IVRTestSupport
import Testing
@testable import IVRCommands

/// `serve` and `call` read the manifest's credentials, registrations and
/// inbound policy, from the sources or from the bundle, each `password-env`
/// from the environment; an unset variable refuses the start (exit 2).
@Suite struct SIPTrunkSetupTests {
    static let manifest = """
        name: acme
        sip:
          pbx: pbx.acme.example
          trunk: trunk.acme.example
          outbound-proxy: "sip:sbc.acme.example;lr"
          credentials:
            - realm: trunk.acme.example
              user: acme
              password-env: ACME_TRUNK_PASSWORD
          register:
            - registrar: "sip:registrar.acme.example:5060"
              aor: "sip:4420712345@registrar.acme.example"
              password-env: ACME_SIP_PASSWORD
              expires: 10m
              flow: main
            - registrar: "sip:r2.acme.example"
              aor: "sip:desk@acme.example"
              user: desk-auth
              password-env: ACME_DESK_PASSWORD
          inbound:
            allow: ["203.0.113.0/24", "127.0.0.1"]
            drop: true
            auth:
              realm: ivr.acme.example
              users: [{user: pbx, password-env: IVR_INBOUND_PASSWORD}]
            max-invites-per-second: 20

        """

    static let environment = [
        "ACME_TRUNK_PASSWORD": "trunk-secret-1", "ACME_SIP_PASSWORD": "register-secret-2",
        "ACME_DESK_PASSWORD": "desk-secret-3", "IVR_INBOUND_PASSWORD": "inbound-secret-4",
    ]

    static func project(manifest: String = manifest) throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        try folder.write("ivr-project.yaml", manifest)
        try folder.write("main.yaml", validFlow)
        return folder
    }

    static func setup(_ path: String, environment: [String: String] = environment) async throws -> Result<SIPSetup, CommandFailure> {
        let options = try SIPOptions.parse(["--tts", "none"])
        let result = SIPSetup.load(path: path, options: options, environment: environment)
        if case .success(let setup) = result { await setup.http.shutdown() }
        return result
    }

    static func expectTheManifestsSettings(_ setup: SIPSetup) throws {
        let t = setup.trunk
        #expect(t.credentials == [DigestCredential(realm: "trunk.acme.example", user: "acme", password: "trunk-secret-1")])
        #expect(t.registrations.count == 2)
        let first = try #require(t.registrations.first)
        #expect(first.registrar == SIPURI("sip:registrar.acme.example:5060"))
        #expect(first.aor == SIPURI("sip:4420712345@registrar.acme.example"))
        // The credential's user defaults to the AOR's user part; expires is in seconds.
        #expect(first.credential == DigestCredential(realm: nil, user: "4420712345", password: "register-secret-2"))
        #expect(first.expires == 600)
        #expect(first.flow == "main")
        #expect(t.registrations[1].credential?.user == "desk-auth")
        #expect(t.registrations[1].expires == 3600)
        #expect(t.inbound.allow == [CIDRBlock("203.0.113.0/24"), CIDRBlock("127.0.0.1/32")].compactMap { $0 })
        #expect(t.inbound.drop)
        #expect(t.inbound.auth == InboundPolicy.InboundAuth(realm: "ivr.acme.example", users: ["pbx": "inbound-secret-4"]))
        #expect(t.inbound.maxInvitesPerSecond == 20)
        #expect(setup.outboundProxy == SIPURI("sip:sbc.acme.example;lr"))
        var config = SIPConfiguration(host: "127.0.0.1", port: 0, advertisedHost: nil, rtpPorts: 10000...10100, maxCalls: 1,
                                      recordingsFolder: "r", referTarget: setup.referTarget)
        t.apply(to: &config)
        #expect(config.credentials == t.credentials && config.registrations == t.registrations && config.inbound == t.inbound)
    }

    @Test func fromTheSources() async throws {
        let folder = try Self.project()
        defer { folder.remove() }
        try Self.expectTheManifestsSettings(try await Self.setup(folder.path).get())
    }

    @Test func fromTheBundleAsFromTheSources() async throws {
        let folder = try Self.project()
        defer { folder.remove() }
        let build = BuildRunner.run(paths: ["."], output: "app.ivrb", strip: true, currentDirectory: folder.path)
        #expect(build.exitCode == 0, "\(build.output)")
        // Away from the manifest: only the bundle knows the settings.
        let elsewhere = try TemporaryFolder()
        defer { elsewhere.remove() }
        try FileManager.default.moveItem(atPath: (folder.path + "/app.ivrb"), toPath: (elsewhere.path + "/app.ivrb"))
        let setup = try await Self.setup((elsewhere.path + "/app.ivrb")).get()
        try Self.expectTheManifestsSettings(setup)
        #expect(setup.referTarget == ReferTarget(pbx: "pbx.acme.example", trunk: "trunk.acme.example"))
    }

    @Test(arguments: [
        ("ACME_TRUNK_PASSWORD", "sip.credentials[0].password-env"),
        ("ACME_SIP_PASSWORD", "sip.register[0].password-env"),
        ("ACME_DESK_PASSWORD", "sip.register[1].password-env"),
        ("IVR_INBOUND_PASSWORD", "sip.inbound.auth.users[0].password-env"),
    ])
    func anUnsetVariableRefusesTheStart(_ variable: String, _ field: String) async throws {
        let folder = try Self.project()
        defer { folder.remove() }
        var environment = Self.environment
        environment[variable] = nil
        guard case .failure(let failure) = try await Self.setup(folder.path, environment: environment) else {
            Issue.record("started without \(variable)")
            return
        }
        #expect(failure.exitCode == CommandOutput.Code.ioError)
        #expect(failure.message.hasPrefix("error: \(field): the environment variable \(variable) is not set"), "\(failure.message)")
        for secret in Self.environment.values { #expect(!failure.message.contains(secret)) }
        environment[variable] = ""
        guard case .failure(let empty) = try await Self.setup(folder.path, environment: environment) else {
            Issue.record("started with an empty \(variable)")
            return
        }
        #expect(empty.message.contains("the environment variable \(variable) is empty"), "\(empty.message)")
    }

    @Test func noSettingsNeedNoVariables() async throws {
        let folder = try Self.project(manifest: "name: acme\nsip: {pbx: pbx.acme.example}\n")
        defer { folder.remove() }
        let setup = try await Self.setup(folder.path, environment: [:]).get()
        #expect(setup.trunk == SIPTrunkCredentials())
    }

    // MARK: - The real binary

    /// check and build never need the variables; serve and call refuse to
    /// start without them (exit 2), and with them print no password
    /// anywhere: stdout, stderr, call records.
    @Test func theBinaryNeedsTheVariablesOnlyToStartAndNeverPrintsThem() async throws {
        let folder = try Self.project()
        defer { folder.remove() }
        var bare = ProcessInfo.processInfo.environment
        for name in Self.environment.keys { bare[name] = nil }
        let binary = try BinaryTests.binary().path
        // A ceiling: a serve that wrongly starts is stopped (exit 124) rather than hang the test.
        func run(_ arguments: [String], _ environment: [String: String]) async throws -> ProcessRun {
            try await runProcess("/usr/bin/timeout", ["120", binary] + arguments, in: folder.path, environment: environment)
        }
        #expect(try await run(["check", "."], bare).status == 0)
        #expect(try await run(["build", ".", "-o", "app.ivrb"], bare).status == 0)
        for target in [".", "app.ivrb"] {
            let serve = try await run(["serve", target, "--tts", "none", "--listen", "127.0.0.1:0"], bare)
            #expect(serve.status == 2)
            #expect(serve.stderr.contains("error: sip.credentials[0].password-env: the environment variable ACME_TRUNK_PASSWORD is not set"),
                    "\(serve.stderr)")
            let call = try await run(["call", target, "--to", "sip:1001@127.0.0.1:9", "--flow", "main", "--tts", "none"], bare)
            #expect(call.status == 2, "\(call.stderr)")
            #expect(call.stderr.contains("ACME_TRUNK_PASSWORD is not set"), "\(call.stderr)")
        }

        var full = bare
        full.merge(Self.environment) { _, new in new }
        // call: the callee never answers (nothing listens there); the call gives up after 64*T1.
        let call = try await run(["call", "app.ivrb", "--to", "sip:1001@127.0.0.1:9", "--flow", "main", "--tts", "none",
                                  "--t1", "20", "--records", "call.jsonl"], full)
        // serve: started, then stopped once it says it listens.
        let script = """
            '\(binary)' serve app.ivrb --tts none --listen 127.0.0.1:0 --records serve.jsonl 2> serve.err > serve.out &
            pid=$!
            i=0
            until grep -q listening serve.err || [ $i -ge 600 ]; do sleep 0.1; i=$((i+1)); done
            kill -TERM $pid
            wait $pid
            """
        let serve = try await runProcess("/bin/sh", ["-c", script], in: folder.path, environment: full)
        let serveErr = (try? String(contentsOfFile: (folder.path + "/serve.err"), encoding: .utf8)) ?? ""
        #expect(serveErr.contains("listening on"), "\(serveErr)")
        let outputs = [call.stdout, call.stderr, serve.stdout, serve.stderr, serveErr,
                       (try? String(contentsOfFile: (folder.path + "/serve.out"), encoding: .utf8)) ?? "",
                       (try? String(contentsOfFile: (folder.path + "/call.jsonl"), encoding: .utf8)) ?? "",
                       (try? String(contentsOfFile: (folder.path + "/serve.jsonl"), encoding: .utf8)) ?? ""]
        for secret in Self.environment.values {
            #expect(!outputs.contains { $0.contains(secret) }, "\(secret) printed")
        }
        let bundle = try #require(FileManager.default.contents(atPath: (folder.path + "/app.ivrb")))
        for secret in Self.environment.values { #expect(!String(decoding: bundle, as: UTF8.self).contains(secret)) }
    }
}
