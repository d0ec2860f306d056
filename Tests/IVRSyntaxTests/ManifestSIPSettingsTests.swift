import Testing
import IVRSyntax

/// The manifest's `sip:` block: each field kept as written, at its value's position.
@Suite struct ManifestSIPSettingsTests {
    static func parse(_ text: String) -> (Manifest?, [Diagnostic]) {
        let r = FlowParser.parseManifest(Array(text.utf8), file: "ivr-project.yaml")
        return (r.manifest, r.diagnostics)
    }

    @Test func outboundProxyIsKeptAsWrittenAtItsValue() throws {
        let (manifest, diagnostics) = Self.parse("""
            name: acme
            sip:
              pbx: pbx.acme.example
              outbound-proxy: "sip:sbc.acme.example;lr"
            """)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let proxy = try #require(manifest?.sip?.outboundProxy)
        #expect(proxy.value == "sip:sbc.acme.example;lr")
        #expect(proxy.range.start.line == 4)
        #expect(proxy.range.start.column == 19)
        #expect(manifest?.sip?.pbx?.value == "pbx.acme.example")
    }

    @Test func anyStringIsKeptForTheCheckerToJudge() throws {
        let (manifest, diagnostics) = Self.parse("sip: {outbound-proxy: sbc.acme.example}\n")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(manifest?.sip?.outboundProxy?.value == "sbc.acme.example")
        #expect(manifest?.sip?.outboundProxy?.range.start.column == 23)
    }

    @Test func aProxyThatIsNotAStringIsAWrongType() {
        let (manifest, diagnostics) = Self.parse("sip:\n  outbound-proxy: [sip:a.example]\n")
        #expect(diagnostics.map(\.code) == [.E005])
        #expect(manifest?.sip?.outboundProxy == nil)
    }

    @Test func noProxyByDefault() {
        let (manifest, _) = Self.parse("sip: {pbx: pbx.acme.example}\n")
        #expect(manifest?.sip?.outboundProxy == nil)
    }
}
