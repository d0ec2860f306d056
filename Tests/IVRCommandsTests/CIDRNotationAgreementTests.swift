import IVRCheck
import IVRSIP
import Testing

/// The checker's syntactic CIDR test (IVRCheck cannot import IVRSIP) and
/// IVRSIP's `CIDRBlock`, which `serve` builds from the same text, agree on
/// every case: what `check` accepts, `serve` can use, and the reverse.
@Suite struct CIDRNotationAgreementTests {
    static let cases: [(String, Bool)] = [
        ("203.0.113.0/24", true), ("127.0.0.1/32", true), ("192.0.2.7", true), ("0.0.0.0/0", true),
        ("10.1.2.3/8", true), ("255.255.255.255", true), ("2001:db8::/32", true), ("::1", true), ("::", true),
        ("::/0", true), ("fe80::1/128", true), ("::ffff:192.0.2.1/128", true), ("1:2:3:4:5:6:7:8", true),
        ("1:2:3:4:5:6:1.2.3.4", true), ("1::1.2.3.4", true), ("2001:DB8::ABCD", true),
        ("203.0.113.0/33", false), ("10.0.0.300", false), ("010.0.0.1", false), ("10.0.0", false),
        ("10.0.0.0.0", false), ("10.0.0.1/", false), ("10.0.0.1/-1", false), ("10.0.0.1/ 8", false),
        ("10.0.0.1/08x", false), ("pbx.acme.example", false), ("", false), ("/24", false),
        ("2001:db8::/129", false), ("2001:db8:::1", false), ("1::2::3", false), ("1:2:3:4:5:6:7:8:9", false),
        ("1:2:3:4:5:6:7", false), ("12345::1", false), ("g::1", false), ("1:2:3:4:5:6:7:1.2.3.4", false),
        ("::1.2.3", false), (" 10.0.0.1", false), ("10.0.0.1 ", false), ("[::1]", false),
        ("1.2.3.4/32/1", false), ("::ffff:1.2.3.4:5", false),
    ]

    // Not in the table: an IPv6 zone (`fe80::1%eth0`), which names an
    // interface of one machine; the checker refuses it (no `%` in an allow
    // entry), and what IVRSIP makes of it depends on the host's interfaces.

    @Test func bothReadTheSameTexts() {
        for (text, valid) in Self.cases {
            #expect((CIDRNotation.problem(text) == nil) == valid, "IVRCheck on '\(text)'")
            #expect((CIDRBlock(text) != nil) == valid, "IVRSIP on '\(text)'")
        }
    }
}
