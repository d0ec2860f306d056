import Foundation
import Testing
@testable import IVRBytecode

/// Format 2's compressed sections: what the writer produces, and every lie a
/// hostile file can tell about them (sizes, lengths, the DEFLATE data itself),
/// each refused with a `BundleError` before memory grows past the caps.
@Suite struct CompressedSectionTests {
    static func sample() throws -> [UInt8] { try VerifierTests.sample() }

    /// A section's real bytes and codec in the sample bundle.
    static func section(_ id: BundleFormat.Section) throws -> RawBundle.Section {
        try #require(try RawBundle.sections(of: sample()).first { $0.id == id.rawValue })
    }

    @Test func compressedAndStoredBundlesLoadToTheSameImage() throws {
        let image = try Bundle.load(Self.sample()).image
        let packed = BundleWriter.write(image)
        let stored = BundleWriter.write(image, compress: false)
        #expect(packed.count < stored.count * 2 / 3)
        #expect(try Bundle.load(packed).image == image)
        #expect(try Bundle.load(stored).image == image)
        #expect(try RawBundle.sections(of: stored).allSatisfy { $0.codec == 0 })
    }

    @Test func stringPoolIsDeflatedWithTheTextDictionary() throws {
        let strings = try Self.section(.strings)
        #expect(strings.codec == BundleFormat.Codec.deflateText.rawValue)
        #expect(strings.bytes.count < strings.size / 2)
        // Without the dictionary the same data does not inflate to the pool.
        let plain = try RawBundle.editing(Self.sample(), section: .strings) { $0.codec = BundleFormat.Codec.deflate.rawValue }
        #expect(RawBundle.refusal(plain) != nil)
    }

    @Test func writerStoresWhatDoesNotShrink() throws {
        // One byte of code: deflate would grow it.
        let bytes = BundleWriter.write(VerifierTests.image(code: [Opcode.hangup.rawValue]))
        let code = try #require(try RawBundle.sections(of: bytes).first { $0.id == BundleFormat.Section.code.rawValue })
        #expect(code.codec == 0)
        #expect(code.bytes == [Opcode.hangup.rawValue])
        #expect(try Bundle.load(bytes).flows.count == 1)
    }

    @Test func declaredSizeAboveTheCapIsRefusedBeforeInflating() throws {
        let huge = try RawBundle.editing(Self.sample(), section: .strings) {
            $0.codec = 1
            $0.bytes = [UInt8](repeating: 0, count: 70_000)
            $0.size = BundleFormat.maxInflatedBytes + 1
        }
        let message = try #require(RawBundle.refusal(huge))
        #expect(message.contains("declares 67108865 bytes from 70000 compressed bytes"))
        #expect(message.contains("64 MiB"))
    }

    @Test func declaredSizeAboveTheRatioIsRefused() throws {
        let strings = try Self.section(.strings)
        let bytes = try RawBundle.editing(Self.sample(), section: .strings) { $0.size = strings.bytes.count * 1000 + 1 }
        #expect(RawBundle.refusal(bytes)?.contains("at most 1000 times its length") == true)
        // Exactly 1000x passes the cap and fails later, on the data.
        let atCap = try RawBundle.editing(Self.sample(), section: .strings) { $0.size = strings.bytes.count * 1000 }
        #expect(RawBundle.refusal(atCap)?.contains("not the declared") == true)
    }

    @Test func sectionsTogetherMayNotPassTheCap() throws {
        // Each section alone is within the caps; together they declare 80 MiB.
        let each = 40 << 20
        var sections = try RawBundle.sections(of: Self.sample())
        for i in sections.indices where sections[i].id != BundleFormat.Section.flows.rawValue {
            sections[i].codec = 1
            sections[i].bytes = [UInt8](repeating: 0x03, count: each / 1000 + 1)
            sections[i].size = each
        }
        #expect(RawBundle.refusal(RawBundle.assemble(sections))?.contains("64 MiB for all sections") == true)
    }

    @Test func streamLongerOrShorterThanDeclaredIsRefused() throws {
        let real = try Self.section(.code)
        #expect(real.codec != 0)
        let longer = try RawBundle.editing(Self.sample(), section: .code) { $0.size -= 1 }
        #expect(RawBundle.refusal(longer) == "bundle is malformed: the code section inflates to more than the declared \(real.size - 1) bytes")
        let shorter = try RawBundle.editing(Self.sample(), section: .code) { $0.size += 1 }
        #expect(RawBundle.refusal(shorter) == "bundle is malformed: the code section inflates to \(real.size) bytes, not the declared \(real.size + 1)")
    }

    @Test func truncatedStreamIsRefusedAtEveryLength() throws {
        let real = try Self.section(.strings)
        for n in 0..<real.bytes.count {
            let cut = try RawBundle.editing(Self.sample(), section: .strings) { $0.bytes = Array($0.bytes.prefix(n)) }
            #expect(RawBundle.refusal(cut) != nil, "cut to \(n) bytes")
        }
        let lastByte = try RawBundle.editing(Self.sample(), section: .strings) { $0.bytes.removeLast() }
        #expect(RawBundle.refusal(lastByte) == "bundle is truncated: the string pool section's compressed data ends early")
    }

    @Test func corruptStreamIsRefused() throws {
        // BTYPE 11 (reserved) in the first block header.
        let bytes = try RawBundle.editing(Self.sample(), section: .strings) { $0.bytes[0] = 0x07 }
        #expect(RawBundle.refusal(bytes) == "bundle is malformed: the string pool section's compressed data is corrupt (invalid block type)")
    }

    @Test func trailingGarbageAfterTheStreamIsRefused() throws {
        let bytes = try RawBundle.editing(Self.sample(), section: .code) { $0.bytes += [1, 2, 3] }
        #expect(RawBundle.refusal(bytes) == "bundle is malformed: the code section has 3 stray bytes after its compressed data")
    }

    @Test func unknownCodecIsRefused() throws {
        let bytes = try RawBundle.editing(Self.sample(), section: .flows) { $0.codec = 9 }
        #expect(RawBundle.refusal(bytes) == "bundle is malformed: the flow table section has unknown codec 9")
    }

    @Test func everyByteFlipOfASignedBundleIsRefusedOrLoads() throws {
        // The checksum rewritten after each flip, so the flip reaches the
        // table, the inflater and the verifier; none may trap.
        let original = try Self.sample()
        var refused = 0
        for i in BundleFormat.sectionCountOffset..<original.count {
            for mask: UInt8 in [0x01, 0x80, 0xFF] {
                var b = original
                b[i] ^= mask
                if RawBundle.refusal(VerifierTests.resign(b)) != nil { refused += 1 }
            }
        }
        #expect(refused > (original.count - BundleFormat.sectionCountOffset) * 2)
    }

    @Test func deflateRoundTripsAndIsDeterministic() throws {
        var rng = SystemRandomNumberGenerator()
        let random = (0..<5000).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let text = Array(String(repeating: "Please press 1 for sales. ", count: 200).utf8)
        for (input, dictionary) in [(random, []), (text, []), (text, TextDictionary.bytes), ([], [])] as [([UInt8], [UInt8])] {
            let packed = try #require(Deflate.compress(input, dictionary: dictionary))
            #expect(Deflate.compress(input, dictionary: dictionary) == packed)
            #expect(try Deflate.inflate(packed[...], size: input.count, dictionary: dictionary, what: "test") == input)
        }
    }
}
