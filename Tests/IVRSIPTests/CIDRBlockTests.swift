import NIOCore
import Testing
@testable import IVRSIP

/// `sip.inbound.allow` entries: IPv4 and IPv6 blocks, single addresses,
/// and text that is neither.
struct CIDRBlockTests {
    static func address(_ ip: String) throws -> SocketAddress { try SocketAddress(ipAddress: ip, port: 5060) }

    @Test func ipv4Blocks() throws {
        let block = try #require(CIDRBlock("203.0.113.0/24"))
        #expect(block.contains(try Self.address("203.0.113.77")))
        #expect(!block.contains(try Self.address("203.0.114.1")))
        #expect(block.contains(try Self.address("::ffff:203.0.113.5")), "an IPv4-mapped IPv6 source")
        #expect(block.description == "203.0.113.0/24")
        #expect(CIDRBlock("10.1.2.3/8")?.description == "10.0.0.0/8", "host bits are ignored")
        let any = try Self.address("198.51.100.9")
        #expect(CIDRBlock("0.0.0.0/0")?.contains(any) == true)
        let one = try #require(CIDRBlock("127.0.0.1"))
        let (loopback, other) = (try Self.address("127.0.0.1"), try Self.address("127.0.0.2"))
        #expect(one.prefixLength == 32 && one.contains(loopback) && !one.contains(other))
        let (inside, outside) = (try Self.address("10.15.255.255"), try Self.address("10.16.0.0"))
        #expect(CIDRBlock("10.0.0.0/12")?.contains(inside) == true)
        #expect(CIDRBlock("10.0.0.0/12")?.contains(outside) == false)
    }

    @Test func ipv6Blocks() throws {
        let block = try #require(CIDRBlock("2001:db8::/32"))
        #expect(block.contains(try Self.address("2001:db8:1::5")))
        #expect(!block.contains(try Self.address("2001:db9::1")))
        #expect(!block.contains(try Self.address("203.0.113.1")))
        #expect(CIDRBlock("::1")?.prefixLength == 128)
    }

    @Test(arguments: ["", "/24", "203.0.113.0/33", "203.0.113/24", "2001:db8::/129", "host.example/24", "1.2.3.4/-1",
                      "1.2.3.4/ 8", "1.2.3.4/0008", "1.2.3.4/24/8"])
    func notABlock(_ text: String) {
        #expect(CIDRBlock(text) == nil)
    }
}
