import Testing
@testable import IVRSIP

/// Messages in the style of RFC 4475 (SIP torture tests), written for this project.
@Suite struct SIPParserTests {
    func parse(_ text: String) throws -> SIPMessage { try SIPParser.parse(Array(text.utf8)) }

    func error(_ text: String) -> SIPParseError? {
        do { _ = try SIPParser.parse(Array(text.utf8)); return nil } catch { return error }
    }

    static let basic = """
        INVITE sip:1000@127.0.0.1 SIP/2.0\r
        Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK776asdhds\r
        Max-Forwards: 70\r
        To: <sip:1000@127.0.0.1>\r
        From: "Alice" <sip:alice@10.0.0.1>;tag=1928301774\r
        Call-ID: a84b4c76e66710@10.0.0.1\r
        CSeq: 314159 INVITE\r
        Contact: <sip:alice@10.0.0.1>\r
        Content-Type: application/sdp\r
        Content-Length: 4\r
        \r
        v=0\r\n
        """

    @Test func basicInvite() throws {
        let m = try parse(Self.basic)
        #expect(m.startLine == .request(method: "INVITE", uri: "sip:1000@127.0.0.1"))
        #expect(m.callID == "a84b4c76e66710@10.0.0.1")
        #expect(m.cseq == CSeq(number: 314159, method: "INVITE"))
        #expect(m.from?.tag == "1928301774")
        #expect(m.from?.displayName == "Alice")
        #expect(m.to?.tag == nil)
        #expect(m.vias.first?.branch == "z9hG4bK776asdhds")
        #expect(m.body == Array("v=0\r".utf8))  // Content-Length 4 cuts the rest
    }

    /// wsinv-like: compact forms, odd case, folding, spaces around colons and slashes.
    @Test func tortuousInvite() throws {
        let text = """
            INVITE sip:vivekg@chair-dnrc.example.com;unknownparam SIP/2.0\r
            TO :\r
             sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n\r
            from   : "J Rosenberg \\\\\\"" <sip:jdrosen@example.com>\r
              ;\r
              tag = 98asjd8\r
            MaX-fOrWaRdS: 0068\r
            Call-ID: wsinv.ndaksdj@192.0.2.1\r
            Content-Length   : 3\r
            cseq: 0009\r
              INVITE\r
            Via  : SIP  /   2.0\r
             /UDP\r
                192.0.2.2;branch=390skdjuw\r
            s :\r
            NewFangledHeader:   newfangled value\r
             continued newfangled value\r
            UnknownHeaderWithUnusualValue: ;;,,;;,;\r
            m:"Quoted string \\"\\"" <sip:jdrosen@example.com> ; newparam =\r
                  newvalue ;\r
              secondparam ; q = 0.33\r
            \r
            abc
            """
        let m = try parse(text)
        #expect(m.method == "INVITE")
        #expect(m.cseq == CSeq(number: 9, method: "INVITE"))
        #expect(m.headers["Max-Forwards"] == "0068")
        #expect(m.to?.tag == "1918181833n")
        #expect(m.from?.tag == "98asjd8")
        #expect(m.from?.displayName == "J Rosenberg \\\"")
        #expect(m.vias.first?.host == "192.0.2.2")
        #expect(m.vias.first?.branch == "390skdjuw")
        #expect(m.headers["Subject"] == "")
        #expect(m.headers["newfangledheader"] == "newfangled value continued newfangled value")
        #expect(m.headers["Contact"] != nil)
        #expect(m.body == Array("abc".utf8))
    }

    @Test func compactFormsAndMultipleVias() throws {
        let text = "OPTIONS sip:user@example.com SIP/2.0\r\n"
            + "v: SIP/2.0/UDP a.example.com;branch=z9hG4bK1, SIP/2.0/UDP b.example.com:5070;branch=z9hG4bK2\r\n"
            + "V: SIP/2.0/UDP c.example.com;branch=z9hG4bK3\r\n"
            + "f: <sip:caller@example.net>;tag=1\r\nt: <sip:user@example.com>\r\ni: compact@x\r\n"
            + "CSeq: 1 OPTIONS\r\nk: replaces\r\nl: 0\r\n\r\n"
        let m = try parse(text)
        #expect(m.vias.map(\.host) == ["a.example.com", "b.example.com", "c.example.com"])
        #expect(m.vias[1].port == 5070)
        #expect(m.headers["Supported"] == "replaces")
        #expect(m.callID == "compact@x")
        // The response copies every Via, in order.
        let r = m.response(200, toTag: "xyz")
        #expect(r.vias.map(\.branch) == ["z9hG4bK1", "z9hG4bK2", "z9hG4bK3"])
        #expect(r.to?.tag == "xyz")
    }

    @Test func unknownMethodAndEscapes() throws {
        let text = "!interesting-Method0123456789_*+`.%indeed'~ sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com SIP/2.0\r\n"
            + "Via: SIP/2.0/TCP host1.example.com;branch=z9hG4bK-.!%66*_+`'~\r\n"
            + "To: \"BEL:\\\u{07} NUL:\\\u{00} DEL:\\\u{7F}\" <sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*@example.com>\r\n"
            + "From: token1~` token2'+_ token3*%!.- <sip:mundane@example.com>;fromParam''~+*_!.-%=\"работающий\";tag=_token~1'+`*%!-.\r\n"
            + "Call-ID: intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{\r\n"
            + "CSeq: 139122385 !interesting-Method0123456789_*+`.%indeed'~\r\n"
            + "Max-Forwards: 255\r\nContent-Length: 0\r\n\r\n"
        let m = try parse(text)
        #expect(m.method == "!interesting-Method0123456789_*+`.%indeed'~")
        #expect(m.from?.tag == "_token~1'+`*%!-.")
    }

    @Test func uriWithEscapesAndSemicolonInUser() throws {
        #expect(SIPURI("sip:%61lice@atlanta.com;transport=TCP")?.user == "alice")
        let u = SIPURI("sip:user;par=u%40example.net@example.com")
        #expect(u?.user == "user;par=u@example.net")
        #expect(u?.host == "example.com")
        #expect(SIPURI("sip:+15551234@trunk:5080;user=phone")?.port == 5080)
        #expect(SIPURI("sip:[2001:db8::10]:5070")?.host == "[2001:db8::10]")
        #expect(SIPURI("sip:a@b:99999") == nil)
        #expect(SIPURI("sip:%zz@b") == nil)
        #expect(SIPURI("http://x") == nil)
    }

    @Test func responses() throws {
        let m = try parse("SIP/2.0 180 Ringing\r\nVia: SIP/2.0/UDP h;branch=z9hG4bKx\r\nFrom: <sip:a@b>;tag=1\r\n"
                          + "To: <sip:c@d>;tag=2\r\nCall-ID: r@x\r\nCSeq: 5 INVITE\r\n\r\n")
        #expect(m.status == 180)
        #expect(m.method == "INVITE")
        // An empty reason phrase (noreason) and a UTF-8 one (unreason) are fine.
        #expect(try parse("SIP/2.0 100 \r\nVia: SIP/2.0/UDP h;branch=z9hG4bKx\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nCall-ID: r@x\r\nCSeq: 5 INVITE\r\n\r\n").status == 100)
        #expect(try parse("SIP/2.0 200 = 2**3 * 5**2 но сто девяносто девять\r\nVia: SIP/2.0/UDP h;branch=z9hG4bKx\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nCall-ID: r@x\r\nCSeq: 5 INVITE\r\n\r\n").status == 200)
    }

    @Test func bareLineFeedsAndLeadingBlankLines() throws {
        let m = try parse("\r\n\nBYE sip:x@y SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bKx\nFrom: <sip:a@b>;tag=1\nTo: <sip:c@d>;tag=2\nCall-ID: lf@x\nCSeq: 2 BYE\n\n")
        #expect(m.method == "BYE")
    }

    @Test func malformedMessagesAreErrors() {
        let head = "Via: SIP/2.0/UDP h;branch=z9hG4bKx\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nCall-ID: e@x\r\n"
        // clerr: Content-Length larger than the body.
        #expect(error("INVITE sip:x@y SIP/2.0\r\n" + head + "CSeq: 1 INVITE\r\nContent-Length: 9999\r\n\r\nv=0") != nil)
        // ncl: negative Content-Length.
        #expect(error("INVITE sip:x@y SIP/2.0\r\n" + head + "CSeq: 1 INVITE\r\nContent-Length: -999\r\n\r\n") != nil)
        // scalar02: a huge Content-Length.
        #expect(error("INVITE sip:x@y SIP/2.0\r\n" + head + "CSeq: 1 INVITE\r\nContent-Length: 99999999999999999999\r\n\r\n") != nil)
        // Conflicting Content-Lengths.
        #expect(error("INVITE sip:x@y SIP/2.0\r\n" + head + "CSeq: 1 INVITE\r\nl: 0\r\nContent-Length: 1\r\n\r\nx") != nil)
        // mismatch01: CSeq method unlike the request's.
        #expect(error("OPTIONS sip:x@y SIP/2.0\r\n" + head + "CSeq: 1 INVITE\r\n\r\n") != nil)
        // insuf: missing Call-ID / From / To / Via / CSeq.
        #expect(error("OPTIONS sip:x@y SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bKx\r\nCSeq: 1 OPTIONS\r\n\r\n") != nil)
        // scalar CSeq number too large (> 2**31).
        #expect(error("OPTIONS sip:x@y SIP/2.0\r\n" + head + "CSeq: 36893488147419103232 OPTIONS\r\n\r\n") != nil)
        // lwsruri / lwsstart: spaces inside the request line.
        #expect(error("INVITE sip:user@example.com; lr SIP/2.0\r\n" + head + "CSeq: 1 INVITE\r\n\r\n") != nil)
        #expect(error("INVITE  sip:user@example.com SIP/2.0\r\n" + head + "CSeq: 1 INVITE\r\n\r\n") != nil)
        // ltgtruri: Request-URI in angle brackets.
        #expect(error("INVITE <sip:user@example.com> SIP/2.0\r\n" + head + "CSeq: 1 INVITE\r\n\r\n") != nil)
        // badvers: a version other than 2.0 gives 505.
        #expect(error("OPTIONS sip:t@example.com SIP/7.0\r\n" + head + "CSeq: 1 OPTIONS\r\n\r\n")?.status == 505)
        // A header line without a colon; a folded first header.
        #expect(error("OPTIONS sip:x@y SIP/2.0\r\nthis is not a header\r\n" + head + "CSeq: 1 OPTIONS\r\n\r\n") != nil)
        #expect(error("OPTIONS sip:x@y SIP/2.0\r\n folded\r\n" + head + "CSeq: 1 OPTIONS\r\n\r\n") != nil)
        // Garbage, empty, invalid UTF-8, an unclosed display name.
        #expect(error("\u{01}\u{02}garbage") != nil)
        #expect(error("") != nil)
        #expect((try? SIPParser.parse([0x49, 0x4E, 0xFF, 0xFE, 0x0D, 0x0A, 0x0D, 0x0A])) == nil)
        #expect(error("OPTIONS sip:x@y SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bKx\r\nFrom: \"unclosed <sip:a@b>\r\nTo: <sip:c@d>\r\nCall-ID: e@x\r\nCSeq: 1 OPTIONS\r\n\r\n") != nil)
        // A bad Via protocol.
        #expect(error("OPTIONS sip:x@y SIP/2.0\r\nVia: HTTP/1.1 h\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nCall-ID: e@x\r\nCSeq: 1 OPTIONS\r\n\r\n") != nil)
    }

    @Test func oversizedMessageIs513() {
        let big = [UInt8](repeating: UInt8(ascii: "a"), count: SIPParser.maxMessageSize + 1)
        #expect(throws: SIPParseError.self) { try SIPParser.parse(big) }
        do { _ = try SIPParser.parse(big) } catch { #expect(error.status == 513) }
    }

    @Test func serializeRoundTrip() throws {
        var m = try parse(Self.basic)
        m.body = Array("hello".utf8)
        let again = try SIPParser.parse(m.serialized())
        #expect(again.body == Array("hello".utf8))
        #expect(again.headers["Content-Length"] == "5")
        #expect(again.headers.rawValues("Content-Length").count == 1)
        #expect(again.from == m.from)
        #expect(String(decoding: m.serialized(), as: UTF8.self).hasPrefix("INVITE sip:1000@127.0.0.1 SIP/2.0\r\nVia: "))
    }

    @Test func headerSetAndListSplitting() {
        var h = SIPHeaders([("Allow", "INVITE, ACK"), ("allow", "BYE")])
        #expect(h.values("ALLOW") == ["INVITE", "ACK", "BYE"])
        h.set("Allow", "OPTIONS")
        #expect(h.values("Allow") == ["OPTIONS"])
        #expect(SIPHeaders.splitList("\"Doe, John\" <sip:j@x>, <sip:k@y;a=b,c>") == ["\"Doe, John\" <sip:j@x>", "<sip:k@y;a=b,c>"])
        #expect(SIPHeaders.canonicalName("cAlL-iD") == "Call-ID")
        #expect(SIPHeaders.canonicalName("x-custom-thing") == "X-Custom-Thing")
    }
}
