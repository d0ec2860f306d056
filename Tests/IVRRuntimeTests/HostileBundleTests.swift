import Foundation
import IVRBytecode
import Testing
@testable import IVRRuntime

/// Mutated bundles, re-signed so the checksum cannot object: the loader
/// either refuses them with a `BundleError` or they run to an end. Nothing
/// traps and nothing hangs.
@Suite struct HostileBundleTests {
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func resign(_ bytes: [UInt8]) -> [UInt8] {
        var b = bytes
        let crc = CRC32.bundleChecksum(b)
        for i in 0..<4 { b[BundleFormat.checksumOffset + i] = UInt8((crc >> UInt32(8 * i)) & 0xFF) }
        return b
    }

    @Test func mutatedBundlesAreRefusedOrRunToAnEnd() async throws {
        let bundle = try Harness.bundle(MenuTests.menu, CaptureTests.basic, DialByExtensionTests.source)
        let original = BundleWriter.write(bundle.image)
        var rng = SplitMix(state: 42)
        var loaded = 0, refused = 0
        for _ in 0..<1500 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let i = Int.random(in: 16..<bytes.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: bytes[i] = UInt8.random(in: 0...255, using: &rng)
                case 1: bytes[i] ^= 1 << UInt8.random(in: 0..<8, using: &rng)
                default: bytes[i] = bytes[i] &+ 1
                }
            }
            do {
                let b = try Bundle.load(Self.resign(bytes))
                loaded += 1
                for flow in b.flows.indices {
                    let tokens: [InputToken] = [.keys("1"), .keys("1005"), .silence, .keys("12#")]
                    let r = await CallDriver.run(b, flow: flow, backend: ScriptedBackend(tokens: tokens), caller: "x")
                    #expect(!r.events.isEmpty || r.outcome != .transfer)
                }
            } catch {
                refused += 1
                #expect(!error.description.isEmpty)
            }
        }
        #expect(loaded > 0)
        #expect(refused > 0)
        #expect(loaded + refused == 1500)
    }
}
