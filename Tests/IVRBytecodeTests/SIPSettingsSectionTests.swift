import Foundation
import IVRRuntime
import IVRSyntax
import Testing
@testable import IVRBytecode

/// The optional SIP settings section: the manifest's `sip:` block in the
/// bundle (names of environment variables, never a secret), reproducible,
/// kept by `--strip`, and refused when it lies.
@Suite struct SIPSettingsSectionTests {
    static let manifest = """
        name: acme
        flows: flows/
        sip:
          pbx: pbx.acme.example
          trunk: trunk.acme.example
          outbound-proxy: "sip:sbc.acme.example;lr"
          credentials:
            - {realm: trunk.acme.example, user: acme, password-env: ACME_TRUNK_PASSWORD}
            - {user: any, password-env: ANY_PASSWORD}
          register:
            - registrar: "sip:registrar.acme.example:5060"
              aor: "sip:4420712345@registrar.acme.example"
              password-env: ACME_SIP_PASSWORD
              expires: 10m
              flow: acme-main
            - {registrar: "sip:r2.acme.example", aor: "sip:desk@acme.example", user: desk-auth, password-env: DESK}
          inbound:
            allow: ["203.0.113.0/24", "127.0.0.1/32"]
            drop: true
            auth:
              realm: ivr.acme.example
              users: [{user: pbx, password-env: IVR_INBOUND_PASSWORD}]
            max-invites-per-second: 20

        """

    static func project() throws -> String {
        var files = ["flows/main.yaml": SampleProject.main, "flows/billing.yaml": SampleProject.billing]
        files["ivr-project.yaml"] = manifest
        return try SampleProject.write(files: files)
    }

    static let expected: BundleSIPSettings = {
        var s = BundleSIPSettings()
        s.pbx = "pbx.acme.example"
        s.trunk = "trunk.acme.example"
        s.outboundProxy = "sip:sbc.acme.example;lr"
        s.credentials = [.init(realm: "trunk.acme.example", user: "acme", passwordEnv: "ACME_TRUNK_PASSWORD"),
                         .init(realm: nil, user: "any", passwordEnv: "ANY_PASSWORD")]
        s.register = [
            .init(registrar: "sip:registrar.acme.example:5060", aor: "sip:4420712345@registrar.acme.example", user: nil,
                  passwordEnv: "ACME_SIP_PASSWORD", expiresSeconds: 600, flow: "acme-main"),
            .init(registrar: "sip:r2.acme.example", aor: "sip:desk@acme.example", user: "desk-auth",
                  passwordEnv: "DESK", expiresSeconds: 3600, flow: nil),
        ]
        var inbound = BundleSIPSettings.Inbound()
        inbound.allow = ["203.0.113.0/24", "127.0.0.1/32"]
        inbound.drop = true
        inbound.authRealm = "ivr.acme.example"
        inbound.authUsers = [.init(user: "pbx", passwordEnv: "IVR_INBOUND_PASSWORD")]
        inbound.maxInvitesPerSecond = 20
        s.inbound = inbound
        return s
    }()

    @Test func theBundleCarriesTheManifestsSIPSettings() throws {
        let built = try FlowBuild.build(paths: [try Self.project()], currentDirectory: "/").get()
        let loaded = try Bundle.load(built.bytes)
        #expect(loaded.sipSettings == Self.expected)
        let table = try RawBundle.sections(of: built.bytes).map(\.id)
        #expect(table.contains(BundleFormat.Section.sip.rawValue))
        #expect(built.bytes[11] == BundleFormat.minorVersion, "format 3.\(BundleFormat.minorVersion)")
    }

    @Test func noSIPBlockNoSection() throws {
        let built = try FlowBuild.build(paths: [try SampleProject.write()], currentDirectory: "/").get()
        #expect(try RawBundle.sections(of: built.bytes).map(\.id) == [1, 2, 3, 4])
        #expect(built.bundle.sipSettings.isEmpty)
    }

    @Test func reproducibleAndKeptByStrip() throws {
        let a = try FlowBuild.build(paths: [try Self.project()], currentDirectory: "/").get()
        let b = try FlowBuild.build(paths: [try Self.project()], currentDirectory: "/tmp").get()
        #expect(a.bytes == b.bytes)
        let stripped = try FlowBuild.build(paths: [try Self.project()], currentDirectory: "/", strip: true).get()
        #expect(!stripped.bundle.image.hasDebugInfo)
        #expect(try Bundle.load(stripped.bytes).sipSettings == Self.expected)
    }

    @Test func pairsRoundTrip() throws {
        #expect(try BundleSIPSettings(pairs: Self.expected.pairs) == Self.expected)
        #expect(try BundleSIPSettings(pairs: []) == BundleSIPSettings())
    }

    /// A bundle whose SIP settings are `pairs` (in a valid image otherwise).
    static func bundle(pairs: [(String, String)]) throws -> [UInt8] {
        let built = try FlowBuild.build(paths: [try SampleProject.write()], currentDirectory: "/").get()
        var image = built.bundle.image
        var strings = image.strings
        image.sipSettings = pairs.map { key, value in
            for s in [key, value] where !strings.contains(s) { strings.append(s) }
            return SIPSettingPair(key: strings.firstIndex(of: key)!, value: strings.firstIndex(of: value)!)
        }
        image.strings = strings
        return BundleWriter.write(image)
    }

    @Test(arguments: [
        ([("pbx", "a"), ("pbx", "b")], "'pbx' appears twice"),
        ([("color", "blue")], "unknown key 'color'"),
        ([("credentials.0.user", "acme")], "'credentials.0.password-env' is missing"),
        ([("credentials.0.user", "acme"), ("credentials.0.password-env", "not a name")], "not an environment variable name"),
        ([("credentials.1.user", "acme"), ("credentials.1.password-env", "X")], "unknown key 'credentials.1.password-env'"),
        ([("register.0.registrar", "sip:r.example"), ("register.0.aor", "sip:a@r.example"),
          ("register.0.password-env", "P"), ("register.0.expires", "5")], "'register.0.expires' is not a number from 60"),
        ([("inbound.drop", "maybe")], "'inbound.drop' is neither true nor false"),
        ([("inbound.drop", "false"), ("inbound.max-invites-per-second", "0")], "not a number from 1"),
        ([("inbound.allow.0", "10.0.0.0/8")], "unknown key 'inbound.allow.0'"),
    ])
    func lyingSettingsAreRefused(_ pairs: [(String, String)], _ message: String) throws {
        let refusal = try #require(RawBundle.refusal(try Self.bundle(pairs: pairs)))
        #expect(refusal.contains("SIP settings section"), "\(refusal)")
        #expect(refusal.contains(message), "\(refusal)")
    }

    @Test func corruptedSectionBytesAreRefused() throws {
        let built = try FlowBuild.build(paths: [try Self.project()], currentDirectory: "/").get()
        // An index past the string pool.
        let past = try RawBundle.editing(built.bytes, section: .sip) { s in
            s.codec = 0
            s.bytes = [1, 0x7F, 0x7F, 0x7F, 0x7F, 0x01]
            s.size = s.bytes.count
        }
        #expect(RawBundle.refusal(past)?.contains("setting key") == true, "\(RawBundle.refusal(past) ?? "loaded")")
        // Stray bytes, an empty section, a count larger than the bytes.
        for (bytes, message) in [([UInt8]([1, 0, 0, 9]), "stray bytes"), ([0], "no settings"), ([100, 0, 0], "bundle is")] {
            let forged = try RawBundle.editing(built.bytes, section: .sip) { s in
                s.codec = 0
                s.bytes = bytes
                s.size = bytes.count
            }
            let refusal = RawBundle.refusal(forged)
            #expect(refusal?.contains(message) == true, "\(bytes): \(refusal ?? "loaded")")
        }
        // Two SIP sections.
        var sections = try RawBundle.sections(of: built.bytes)
        sections.append(try #require(sections.first { $0.id == BundleFormat.Section.sip.rawValue }))
        #expect(RawBundle.refusal(RawBundle.assemble(sections))?.contains("appears twice") == true)
    }
}
