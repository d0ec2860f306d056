import Testing
import IVRSyntax

/// The manifest's `sip.credentials`, `sip.register` and `sip.inbound`: kept
/// as written at their values' positions, defaults, required fields, and
/// E504 for a password written in the file.
@Suite struct ManifestTrunkSettingsTests {
    static func parse(_ text: String) -> (Manifest?, [Diagnostic]) {
        let r = FlowParser.parseManifest(Array(text.utf8), file: "ivr-project.yaml")
        return (r.manifest, r.diagnostics)
    }

    @Test func theSpecExampleIsReadWhole() throws {
        let (manifest, diagnostics) = Self.parse("""
            name: acme
            sip:
              credentials:
                - realm: trunk.acme.example
                  user: acme
                  password-env: ACME_TRUNK_PASSWORD
              register:
                - registrar: "sip:registrar.acme.example:5060"
                  aor: "sip:4420712345@registrar.acme.example"
                  user: acme
                  password-env: ACME_SIP_PASSWORD
                  expires: 10m
                  flow: acme-main
                - {registrar: "sip:r.example", aor: "sip:a@r.example", password-env: P}
              inbound:
                allow: ["203.0.113.0/24", "127.0.0.1/32"]
                drop: false
                auth:
                  realm: ivr.acme.example
                  users: [{user: pbx, password-env: IVR_INBOUND_PASSWORD}]
                max-invites-per-second: 20
            """)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let sip = try #require(manifest?.sip)
        let credential = try #require(sip.credentials.first)
        #expect(credential.realm?.value == "trunk.acme.example")
        #expect(credential.user?.value == "acme")
        #expect(credential.passwordEnv?.value == "ACME_TRUNK_PASSWORD")
        #expect(credential.passwordEnv?.range.start.line == 6)
        #expect(credential.passwordEnv?.range.start.column == 21)
        #expect(sip.register.count == 2)
        #expect(sip.register[0].expires?.value == Duration(milliseconds: 600_000))
        #expect(sip.register[0].flow?.value == "acme-main")
        #expect(sip.register[0].aor?.range.start.line == 9)
        #expect(sip.register[1].expires == nil && sip.register[1].user == nil)
        #expect(Manifest.SIPSettings.Registration.defaultExpires == Duration(milliseconds: 3_600_000))
        let inbound = try #require(sip.inbound)
        #expect(inbound.allow.map(\.value) == ["203.0.113.0/24", "127.0.0.1/32"])
        #expect(inbound.drop?.value == false)
        #expect(inbound.auth?.realm?.value == "ivr.acme.example")
        #expect(inbound.auth?.users.first?.passwordEnv?.value == "IVR_INBOUND_PASSWORD")
        #expect(inbound.maxInvitesPerSecond?.value == 20)
    }

    @Test func requiredFieldsAreE004() {
        let (_, diagnostics) = Self.parse("""
            sip:
              credentials: [{realm: r}]
              register: [{user: u}]
              inbound: {auth: {}}
            """)
        let messages = diagnostics.filter { $0.code == .E004 }.map(\.message)
        for field in ["'user' in a credentials entry", "'password-env' in a credentials entry", "'registrar' in a register entry",
                      "'aor' in a register entry", "'password-env' in a register entry", "'realm' in inbound auth",
                      "'users' in inbound auth"] {
            #expect(messages.contains { $0.contains(field) }, "\(field): \(messages)")
        }
    }

    @Test func outOfRangeValuesAreE006AtTheValue() {
        let (_, diagnostics) = Self.parse("""
            sip:
              register: [{registrar: "sip:r.example", aor: "sip:a@r.example", password-env: P, expires: 2d}]
              inbound: {max-invites-per-second: 0}
            """)
        #expect(diagnostics.map(\.code) == [.E006, .E006], "\(diagnostics)")
        let (_, expires) = Self.parse("sip: {register: [{registrar: \"sip:r\", aor: \"sip:a@r\", password-env: P, expires: 30s}]}\n")
        #expect(expires.first?.message.contains("between 1m and") == true, "\(expires)")
        #expect(expires.first?.range.start.column == 81)
    }

    @Test func aPasswordIsE504WithAFixItThatNeverRepeatsIt() throws {
        let text = """
            sip:
              credentials:
                - user: acme
                  password: "s3cr3t-trunk"
            """
        let (_, diagnostics) = Self.parse(text)
        // No E004 for the missing password-env: E504's fix-it writes it.
        #expect(diagnostics.map(\.code) == [.E504], "\(diagnostics)")
        let d = try #require(diagnostics.first)
        #expect(d.range.start.line == 4 && d.range.start.column == 7)
        let fix = try #require(d.fix)
        #expect(fix.replacement == "password-env: SIP_PASSWORD")
        let bytes = Array(text.utf8)
        let replaced = String(decoding: bytes[fix.range.start.offset..<fix.range.end.offset], as: UTF8.self)
        #expect(replaced == "password: \"s3cr3t-trunk\"")
        let said = [d.message, d.help ?? "", fix.message, fix.replacement] + d.notes.map(\.message)
        #expect(!said.joined().contains("s3cr3t"))
        #expect(d.help?.contains("environment variable") == true)
    }

    @Test func aPasswordAnywhereInTheManifestIsE504() {
        for text in ["password: x\n", "sip: {password: x}\n", "directory: {password: x}\n",
                     "sip: {inbound: {auth: {realm: r, users: [{user: u, password: x}]}}}\n"] {
            let (_, diagnostics) = Self.parse(text)
            #expect(diagnostics.map(\.code) == [.E504], "\(text): \(diagnostics)")
        }
    }

    @Test func aPasswordInAFlowIsE504() {
        let flow = "ivr: m\nnodes:\n  a:\n    - webhook: {url: 'https://h.example', password: hunter2}\n    - hangup\n"
        let diagnostics = FlowParser.parseFlow(Array(flow.utf8), file: "m.yaml").diagnostics
        #expect(diagnostics.map(\.code) == [.E504], "\(diagnostics)")
        #expect(!diagnostics.contains { $0.message.contains("hunter2") || ($0.help ?? "").contains("hunter2") })
    }
}
