import Foundation
import IVRCheck
import IVRSyntax
import Testing

/// E214 and E215: a transfer's effective `via` (its own, else the
/// manifest's `sip.transfer`, else refer) against its bridge fields and
/// the manifest's trunk, with exact ranges.
@Suite struct BridgedTransferCheckTests {
    /// Checks a project of `flows/main.yaml` (and `ivr-project.yaml` when given).
    func check(_ flow: String, manifest: String? = nil) throws -> [Diagnostic] {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ivrc-bridge-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/flows", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try flow.write(toFile: root + "/flows/main.yaml", atomically: true, encoding: .utf8)
        if let manifest { try manifest.write(toFile: root + "/ivr-project.yaml", atomically: true, encoding: .utf8) }
        let loaded = try ProjectLoader.load(paths: ["."], currentDirectory: root).get()
        return Checker.check(loaded)
    }

    /// `code@line:column-line:column` of each diagnostic.
    static func spots(_ diagnostics: [Diagnostic]) -> [String] {
        diagnostics.map { "\($0.code.rawValue)@\($0.range.start)-\($0.range.end)" }
    }

    static func flow(_ transfer: String) -> String {
        "ivr: main\nnodes:\n  start:\n    transfer:\n" + transfer
    }

    @Test(arguments: [("ringback: tone", 8), ("whisper: {say: \"hi\"}", 7), ("confirm: \"1\"", 7),
                      ("confirm-timeout: 5s", 15), ("record: true", 6), ("max-duration: 1h", 12)])
    func eachBridgeFieldOnAReferIsE214AtItsKey(_ field: String, _ keyLength: Int) throws {
        let diagnostics = try check(Self.flow("      sip: \"sip:a@pbx.example\"\n      \(field)\n"))
        #expect(Self.spots(diagnostics) == ["E214@6:7-6:\(7 + keyLength)"])
        #expect(diagnostics.first?.help?.contains("via: bridge") == true)
    }

    @Test func anExplicitReferIsNamedInANote() throws {
        let diagnostics = try check(Self.flow("      sip: \"sip:a@pbx.example\"\n      via: refer\n      record: true\n"))
        #expect(Self.spots(diagnostics) == ["E214@7:7-7:13"])
        #expect(diagnostics.first?.notes.first?.range?.start.line == 6)
    }

    @Test func theManifestsReferIsNamedInANote() throws {
        let diagnostics = try check(Self.flow("      sip: \"sip:a@pbx.example\"\n      whisper: {say: \"hi\"}\n"),
                                    manifest: "name: p\nsip:\n  transfer: refer\n")
        #expect(Self.spots(diagnostics) == ["E214@6:7-6:14"])
        #expect(diagnostics.first?.notes.first?.file == "ivr-project.yaml")
        #expect(diagnostics.first?.notes.first?.range?.start.line == 3)
    }

    @Test(arguments: ["bridge", "auto"])
    func aManifestBridgeAllowsTheFields(_ via: String) throws {
        let diagnostics = try check(Self.flow("      sip: \"sip:a@pbx.example\"\n      whisper: {say: \"hi\"}\n      confirm: \"1\"\n"),
                                    manifest: "name: p\nsip:\n  transfer: \(via)\n")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
    }

    @Test func theStepsViaWinsOverTheManifest() throws {
        let diagnostics = try check(Self.flow("      sip: \"sip:a@pbx.example\"\n      via: refer\n      confirm: \"1\"\n"),
                                    manifest: "name: p\nsip:\n  transfer: bridge\n")
        #expect(Self.spots(diagnostics) == ["E214@7:7-7:14"])
    }

    @Test func anIvrTransferIsNeverBridged() throws {
        let flow = """
            ivr: main
            nodes:
              start:
                transfer:
                  ivr: other
                  via: bridge
                  whisper: {say: "hi"}

            """
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ivrc-bridge-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try flow.write(toFile: root + "/main.yaml", atomically: true, encoding: .utf8)
        try "ivr: other\nnodes:\n  start: hangup\n".write(toFile: root + "/other.yaml", atomically: true, encoding: .utf8)
        let loaded = try ProjectLoader.load(paths: ["."], currentDirectory: root).get()
        let diagnostics = Checker.check(loaded).filter { $0.file.hasSuffix("main.yaml") }
        #expect(Self.spots(diagnostics) == ["E214@6:12-6:18", "E214@7:7-7:14"])
        #expect(diagnostics.allSatisfy { $0.message.contains("never bridged") })
    }

    @Test func aBridgedNumberNeedsATrunk() throws {
        let noManifest = try check(Self.flow("      number: \"+442071234567\"\n      via: bridge\n"))
        #expect(Self.spots(noManifest) == ["E215@6:12-6:18"])
        let noTrunk = try check(Self.flow("      number: \"+442071234567\"\n"),
                                manifest: "name: p\nsip:\n  pbx: pbx.example\n  transfer: auto\n")
        #expect(Self.spots(noTrunk) == ["E215@5:15-5:30"])
        #expect(noTrunk.first?.message.contains("sip.transfer: auto") == true)
        let withTrunk = try check(Self.flow("      number: \"+442071234567\"\n      via: bridge\n"),
                                  manifest: "name: p\nsip:\n  trunk: trunk.example\n")
        #expect(withTrunk.isEmpty, "\(withTrunk)")
    }

    @Test func otherDestinationsAndRefersNeedNoTrunk() throws {
        let sip = try check(Self.flow("      sip: \"sip:a@pbx.example\"\n      via: bridge\n"))
        #expect(sip.isEmpty, "\(sip)")
        let refer = try check(Self.flow("      number: \"+442071234567\"\n      via: refer\n"),
                              manifest: "name: p\nsip:\n  transfer: bridge\n")
        #expect(refer.isEmpty, "\(refer)")
    }

    @Test func whisperAudioIsCheckedLikeAPrompt() throws {
        let diagnostics = try check(Self.flow("""
                  sip: "sip:a@pbx.example"
                  via: bridge
                  whisper: {play: audio/missing.wav}
                  ringback: {play: audio/hold-missing.wav}

            """))
        #expect(Set(diagnostics.map(\.code)) == [.E204])
        #expect(diagnostics.count == 2)
    }

    @Test func tollFraudStillAppliesToABridgedDestination() throws {
        let diagnostics = try check("""
            ivr: main
            nodes:
              start:
                - capture: {prompt: {say: "Enter the number."}, into: n, min: 8, max: 15, on-exhausted: hangup}
                - transfer: {number: "+${n}", via: bridge}

            """, manifest: "name: p\nsip:\n  trunk: trunk.example\n")
        #expect(diagnostics.map(\.code) == [.E501])
    }
}
