import Testing
import IVRSyntax

/// A transfer's `via` and bridge fields (`ringback`, `whisper`, `confirm`,
/// `confirm-timeout`, `record`, `max-duration`), and the manifest's
/// `sip.transfer`: each read at its value's position, each bad value an
/// error at exactly that value.
@Suite struct BridgeFieldsTests {
    static func parse(_ transferLines: String) -> (Transfer?, [Diagnostic]) {
        let text = "ivr: t\nnodes:\n  a:\n    transfer:\n" + transferLines
        let r = FlowParser.parseFlow(Array(text.utf8), file: "f.yaml")
        guard let step = r.flow?.nodes.first?.steps.first, case .transfer(let t) = step.kind else { return (nil, r.diagnostics) }
        return (t, r.diagnostics)
    }

    /// `code@line:column-line:column` of each diagnostic.
    static func spots(_ diagnostics: [Diagnostic]) -> [String] {
        diagnostics.map { "\($0.code.rawValue)@\($0.range.start)-\($0.range.end)" }
    }

    @Test func everyFieldIsReadAtItsValue() throws {
        let (transfer, diagnostics) = Self.parse("""
                  number: "+442071234567"
                  via: bridge
                  ringback: {tone: uk}
                  whisper: {say: "Call from the order line."}
                  confirm: "1"
                  confirm-timeout: 15s
                  record: true
                  max-duration: 1h

            """)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let t = try #require(transfer)
        #expect(t.via?.value == .bridge)
        #expect(t.via?.range.start.line == 6 && t.via?.range.start.column == 12)
        guard case .tone(let tone?, _)? = t.ringback else { Issue.record("not a tone: \(String(describing: t.ringback))"); return }
        #expect(tone.value == .uk)
        #expect(tone.range.start.line == 7 && tone.range.start.column == 24)
        #expect(t.whisper?.steps.count == 1)
        #expect(t.confirm?.value == "1")
        #expect(t.confirm?.range.start.column == 16)
        #expect(t.confirmTimeout?.value == .seconds(15))
        #expect(t.record?.value == true)
        #expect(t.maxDuration?.value.milliseconds == 3_600_000)
        #expect(t.bridgeOnlyKeys.map(\.field) == ["ringback", "whisper", "confirm", "confirm-timeout", "record", "max-duration"])
        #expect(t.bridgeOnlyKeys[0].range.start.line == 7 && t.bridgeOnlyKeys[0].range.start.column == 7)
    }

    @Test func ringbackTakesTheWordToneOrMediaSteps() throws {
        let (plain, d1) = Self.parse("      sip: \"sip:a@pbx.example\"\n      via: bridge\n      ringback: tone\n")
        #expect(d1.isEmpty, "\(d1)")
        guard case .tone(nil, _)? = plain?.ringback else { Issue.record("not the default tone"); return }
        let (media, d2) = Self.parse("""
                  sip: "sip:a@pbx.example"
                  via: bridge
                  ringback:
                    - say: "Please hold."
                    - play: {file: audio/hold.wav, transcript: "Hold music."}

            """)
        #expect(d2.isEmpty, "\(d2)")
        guard case .media(let prompt)? = media?.ringback else { Issue.record("not media"); return }
        #expect(prompt.steps.count == 2)
    }

    @Test func anUnknownToneIsAnInvalidValueWithASuggestion() {
        let (t, diagnostics) = Self.parse("      sip: \"sip:a@pbx.example\"\n      via: bridge\n      ringback: {tone: ukk}\n")
        #expect(Self.spots(diagnostics) == ["E006@7:24-7:27"])
        #expect(diagnostics.first?.fix?.replacement == "uk")
        #expect(t == nil || t?.ringback == nil)
    }

    @Test func aRingbackStringOtherThanToneIsAWrongType() {
        let (_, diagnostics) = Self.parse("      sip: \"sip:a@pbx.example\"\n      ringback: beep\n")
        #expect(Self.spots(diagnostics) == ["E005@6:17-6:21"])
    }

    @Test func aWhisperThatIsNotMediaIsAWrongType() {
        let (_, diagnostics) = Self.parse("      sip: \"sip:a@pbx.example\"\n      whisper: {goto: b}\n")
        #expect(diagnostics.map(\.code) == [.E005])
        #expect(diagnostics.first?.range.start.line == 6)
        #expect(diagnostics.first?.range.start.column == 17)
    }

    @Test(arguments: ["0", "9", "*", "#", "A", "D", "star", "pound"])
    func confirmTakesOneKey(_ key: String) {
        let (t, diagnostics) = Self.parse("      sip: \"sip:a@pbx.example\"\n      confirm: \"\(key)\"\n")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(t?.confirm != nil)
    }

    @Test func aConfirmThatIsNotAKeyIsAnInvalidValueAtTheValue() {
        let (_, many) = Self.parse("      sip: \"sip:a@pbx.example\"\n      confirm: \"12\"\n")
        #expect(Self.spots(many) == ["E006@6:16-6:20"])
        #expect(many.first?.help?.contains("one key") == true)
        let (_, lower) = Self.parse("      sip: \"sip:a@pbx.example\"\n      confirm: b\n")
        #expect(Self.spots(lower) == ["E006@6:16-6:17"])
        #expect(lower.first?.fix?.replacement == "B")
        let (_, letter) = Self.parse("      sip: \"sip:a@pbx.example\"\n      confirm: E\n")
        #expect(Self.spots(letter) == ["E006@6:16-6:17"])
    }

    @Test func viaIsReferOrBridgeAndAutoIsTheManifestsOnly() {
        let (refer, d1) = Self.parse("      sip: \"sip:a@pbx.example\"\n      via: refer\n")
        #expect(d1.isEmpty && refer?.via?.value == .refer)
        let (_, auto) = Self.parse("      sip: \"sip:a@pbx.example\"\n      via: auto\n")
        #expect(Self.spots(auto) == ["E006@6:12-6:16"])
        #expect(auto.first?.message.contains("sip.transfer") == true)
        let (_, typo) = Self.parse("      sip: \"sip:a@pbx.example\"\n      via: brige\n")
        #expect(Self.spots(typo) == ["E006@6:12-6:17"])
        #expect(typo.first?.fix?.replacement == "bridge")
    }

    @Test func durationsHaveTheirRanges() {
        let (_, short) = Self.parse("      sip: \"sip:a@pbx.example\"\n      confirm-timeout: 100ms\n")
        #expect(Self.spots(short) == ["E006@6:24-6:29"])
        let (_, long) = Self.parse("      sip: \"sip:a@pbx.example\"\n      max-duration: 2d\n")
        #expect(long.map(\.code) == [.E006])
        let (_, bare) = Self.parse("      sip: \"sip:a@pbx.example\"\n      max-duration: 3600\n")
        #expect(bare.map(\.code) == [.E006])
        #expect(bare.first?.fix?.replacement == "3600s")
    }

    @Test func recordIsABoolean() {
        let (_, diagnostics) = Self.parse("      sip: \"sip:a@pbx.example\"\n      record: yes\n")
        #expect(Self.spots(diagnostics) == ["E005@6:15-6:18"])
        #expect(diagnostics.first?.fix?.replacement == "true")
    }

    @Test func aMisspelledBridgeFieldIsSuggested() {
        let (_, diagnostics) = Self.parse("      sip: \"sip:a@pbx.example\"\n      wisper: {say: \"hi\"}\n")
        #expect(Self.spots(diagnostics) == ["E003@6:7-6:13"])
        #expect(diagnostics.first?.fix?.replacement == "whisper")
    }

    @Test func theLanguageFieldListsHaveTheNewFields() {
        for field in ["via", "ringback", "whisper", "confirm", "confirm-timeout", "record", "max-duration"] {
            #expect(LanguageFields.transfer.contains(field), "\(field)")
        }
        #expect(LanguageFields.sip.contains("transfer"))
    }

    @Test func theManifestSaysHowTransfersConnect() throws {
        let r = FlowParser.parseManifest(Array("name: acme\nsip:\n  transfer: auto\n".utf8), file: "ivr-project.yaml")
        #expect(r.diagnostics.isEmpty, "\(r.diagnostics)")
        let via = try #require(r.manifest?.sip?.transfer)
        #expect(via.value == .auto)
        #expect(via.range.start.line == 3 && via.range.start.column == 13)
        let bad = FlowParser.parseManifest(Array("name: acme\nsip:\n  transfer: bridged\n".utf8), file: "ivr-project.yaml")
        #expect(Self.spots(bad.diagnostics) == ["E006@3:13-3:20"])
        #expect(bad.diagnostics.first?.fix?.replacement == "bridge")
    }
}
