import Foundation
import IVRRuntime
import IVRSyntax
import Testing
@testable import IVRBytecode

@Suite struct VerifierTests {
    static func sample() throws -> [UInt8] {
        let root = try SampleProject.write()
        return try FlowBuild.build(paths: [root], currentDirectory: "/").get().bytes
    }

    /// Re-signs bytes after an edit so only the verifier (not the checksum) can object.
    static func resign(_ bytes: [UInt8]) -> [UInt8] {
        var b = bytes
        let crc = CRC32.bundleChecksum(b)
        for i in 0..<4 { b[BundleFormat.checksumOffset + i] = UInt8((crc >> UInt32(8 * i)) & 0xFF) }
        return b
    }

    static func image(code: [UInt8], strings: [String] = [], slots: Int = 0) -> BundleImage {
        let names = ["f", "caller", "called", "flow", "language", "voice"] + strings
        var flow = FlowImage(name: 0)
        flow.variables = (1...5).map { VariableInfo(name: $0, sensitive: false) }
        flow.slots = slots
        flow.code = code
        return BundleImage(strings: names, flows: [flow])
    }

    @Test func crc32KnownValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    }

    @Test func loadsTheRealBundle() throws {
        #expect(try Bundle.load(Self.sample()).flows.count == 2)
    }

    @Test func rejectsTruncationAtEveryLength() throws {
        let bytes = try Self.sample()
        for n in 0..<bytes.count {
            #expect(throws: BundleError.self) { try Bundle.load(Array(bytes[0..<n])) }
        }
    }

    @Test func rejectsEverySingleByteFlip() throws {
        let bytes = try Self.sample()
        for i in bytes.indices {
            var b = bytes
            b[i] ^= 0x5A
            #expect(throws: BundleError.self) { try Bundle.load(b) }
        }
    }

    @Test func flippedContentIsACheckumError() throws {
        var bytes = try Self.sample()
        bytes[bytes.count - 3] ^= 1
        do {
            _ = try Bundle.load(bytes)
            Issue.record("loaded a corrupted bundle")
        } catch {
            #expect(error.description.hasPrefix("bundle is corrupted: checksum"))
        }
    }

    @Test func rejectsUnknownMajorVersionNamingBoth() throws {
        var bytes = try Self.sample()
        bytes[10] = 7
        bytes[11] = 0
        do {
            _ = try Bundle.load(Self.resign(bytes))
            Issue.record("loaded a version 7 bundle")
        } catch {
            #expect(error.description == "bundle format version 7.0 is not supported by this ivrc (it reads version 3.3)")
        }
    }

    /// Minor versions add optional sections: a 3.0 bundle (none of them) loads.
    @Test func loadsAFormatThreeZeroBundle() throws {
        var bytes = try Self.sample()
        bytes[11] = 0
        _ = try Bundle.load(Self.resign(bytes))
    }

    @Test func rejectsAFormatTwoBundle() throws {
        // Format 2.0 stored regexes with whole-string meaning and numbers as
        // doubles: loading one would silently change what it accepts.
        var bytes = try Self.sample()
        bytes[10] = 2
        bytes[11] = 0
        do {
            _ = try Bundle.load(Self.resign(bytes))
            Issue.record("loaded a version 2 bundle")
        } catch {
            #expect(error.description == "bundle format version 2.0 is not supported by this ivrc (it reads version 3.3)")
        }
    }

    @Test func rejectsNewlineMangling() throws {
        var bytes = try Self.sample()
        bytes.remove(at: 6)  // CR LF -> LF
        do {
            _ = try Bundle.load(bytes)
            Issue.record("loaded a mangled bundle")
        } catch {
            #expect(error == .mangled)
        }
    }

    @Test func rejectsForgedJumpOutsideTheCode() {
        // JUMP 200 in a 3-byte flow.
        let bytes = BundleWriter.write(Self.image(code: [Opcode.jump.rawValue, 0xC8, 0x01]))
        #expect(throws: BundleError.self) { try Bundle.load(bytes) }
    }

    @Test func rejectsForgedJumpIntoAnInstruction() throws {
        // NODE "f"; JUMP 1 (the middle of NODE).
        let bytes = BundleWriter.write(Self.image(code: [Opcode.node.rawValue, 0, Opcode.jump.rawValue, 1]))
        do {
            _ = try Bundle.load(bytes)
            Issue.record("accepted a jump into an instruction")
        } catch {
            #expect(error.description.contains("not the start of an instruction"))
        }
    }

    @Test func rejectsForgedConstantIndex() throws {
        let bytes = BundleWriter.write(Self.image(code: [Opcode.node.rawValue, 99, Opcode.hangup.rawValue]))
        do {
            _ = try Bundle.load(bytes)
            Issue.record("accepted constant 99")
        } catch {
            #expect(error.description.contains("constant index 99 out of range"))
        }
    }

    @Test func rejectsForgedVariableIndex() throws {
        // SET $9 = "" with five variables.
        let bytes = BundleWriter.write(Self.image(code: [Opcode.set.rawValue, 9, 0, Opcode.hangup.rawValue]))
        do {
            _ = try Bundle.load(bytes)
            Issue.record("accepted variable 9")
        } catch {
            #expect(error.description.contains("variable index 9 out of range"))
        }
    }

    @Test func rejectsUnknownOpcode() throws {
        let bytes = BundleWriter.write(Self.image(code: [0xEE, Opcode.hangup.rawValue]))
        do {
            _ = try Bundle.load(bytes)
            Issue.record("accepted opcode 0xee")
        } catch {
            #expect(error.description.contains("unknown opcode 0xee"))
        }
    }

    @Test func rejectsCodeThatRunsOffItsEnd() throws {
        let bytes = BundleWriter.write(Self.image(code: [Opcode.node.rawValue, 0]))
        do {
            _ = try Bundle.load(bytes)
            Issue.record("accepted code without an end")
        } catch {
            #expect(error.description.contains("past its end"))
        }
    }

    @Test func rejectsBadPattern() throws {
        // ONEXT "(" L0; HANGUP
        let bytes = BundleWriter.write(Self.image(code: [Opcode.onExtension.rawValue, 6, 0, Opcode.hangup.rawValue], strings: ["("]))
        #expect(throws: BundleError.self) { try Bundle.load(bytes) }
    }

    /// Numbers in conditions are decimal text, every digit kept.
    @Test func numbersInConditionsKeepEveryDigit() throws {
        let n = try #require(ExactNumber("-1234567890123456789012345.5"))
        var w = ByteWriter()
        ExpressionCode.encode(.binary(.less, .variable(1), .number(n)), into: &w)
        let limits = OperandLimits(strings: 0, variables: 2, slots: 0, flows: 1, schedules: 0, codeLength: 0)
        var r = ByteReader(w.bytes, from: 0, to: w.bytes.count, what: "test")
        #expect(try ExpressionCode.decode(&r, limits) == .binary(.less, .variable(1), .number(n)))
        #expect(Array(w.bytes[4...6]) == [1, 28, UInt8(ascii: "-")])
    }

    @Test func rejectsANumberThatIsNotDecimalText() throws {
        func load(_ text: String) throws -> VerifiedBundle {
            // BRANCHF <number text> L0; HANGUP
            let code = [Opcode.branchIfFalse.rawValue, 1, UInt8(text.utf8.count)] + Array(text.utf8) + [0, Opcode.hangup.rawValue]
            return try Bundle.load(BundleWriter.write(Self.image(code: code)))
        }
        #expect(throws: Never.self) { try load("9007199254740993") }
        for bad in ["12a", "", "1e3", "0x10", "1.", "nan"] {
            do {
                _ = try load(bad)
                Issue.record("loaded the number \(bad.debugDescription)")
            } catch {
                #expect("\(error)".contains("is not a decimal number"), "\(error)")
            }
        }
    }

    /// BRIDGEOPT and BRIDGEMEDIA operands with no meaning are refused at load.
    @Test func rejectsBridgeOperandsOutOfRange() throws {
        func refusal(_ code: [UInt8]) throws -> String? {
            RawBundle.refusal(BundleWriter.write(Self.image(code: code + [Opcode.hangup.rawValue])))
        }
        // BRIDGEOPT via, confirm, confirm ms, record, max ms, tone (single-byte uints).
        func options(_ via: UInt8, _ confirm: UInt8, _ record: UInt8, _ tone: UInt8) -> [UInt8] {
            [Opcode.bridgeOptions.rawValue, via, confirm, 100, record, 0, tone]
        }
        #expect(try refusal(options(2, 16, 1, 3)) == nil)
        #expect(try refusal(options(4, 0, 0, 0))?.contains("BRIDGEOPT: via must be 0...3") == true)
        #expect(try refusal(options(1, 17, 0, 0))?.contains("BRIDGEOPT: confirm key 17 is not a key") == true)
        #expect(try refusal(options(1, 0, 2, 0))?.contains("BRIDGEOPT: record must be 0 or 1") == true)
        #expect(try refusal(options(1, 0, 0, 4))?.contains("BRIDGEOPT: ringback tone must be 0...3") == true)
        #expect(try refusal([Opcode.bridgeMedia.rawValue, 1]) == nil)
        #expect(try refusal([Opcode.bridgeMedia.rawValue, 2])?.contains("BRIDGEMEDIA: role must be 0 (ringback) or 1 (whisper)") == true)
    }

    @Test func hostileCountsDoNotAllocate() throws {
        // A flow table claiming 2^62 flows.
        let bytes = try RawBundle.editing(Self.sample(), section: .flows) { section in
            section.codec = 0
            section.bytes = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x3F]
        }
        #expect(RawBundle.refusal(bytes) == "bundle is truncated: flow table: flow count 4611686018427387903 exceeds the bytes left")
    }

    @Test func stringPoolLies() throws {
        func pool(_ bytes: [UInt8]) throws -> String? {
            RawBundle.refusal(try RawBundle.editing(Self.sample(), section: .strings) { $0.codec = 0; $0.bytes = bytes })
        }
        #expect(try pool(Array("caller".utf8)) == "bundle is malformed: string pool: the last string has no end marker")
        #expect(try pool([0x61, 0xC3, 0xFF]) == "bundle is malformed: string pool: string 0 is not valid UTF-8")
        #expect(try pool(Array("a".utf8) + [0xFF] + Array("a".utf8) + [0xFF]) == "bundle is malformed: string pool: \"a\" stored twice")
    }

    @Test func sectionTableLies() throws {
        let sections = try RawBundle.sections(of: Self.sample())
        #expect(RawBundle.refusal(RawBundle.assemble(sections.filter { $0.id != 3 })) == "bundle is malformed: the code section is missing")
        #expect(RawBundle.refusal(RawBundle.assemble(sections + [sections[0]])) == "bundle is malformed: the string pool section appears twice")
        var unknown = sections
        unknown[0].id = 9
        #expect(RawBundle.refusal(RawBundle.assemble(unknown)) == "bundle is malformed: unknown section id 9")
        let extra = Self.resign(RawBundle.assemble(sections) + [0])
        #expect(RawBundle.refusal(extra) == "bundle is malformed: 1 stray bytes after the last section")
    }

    @Test func notABundle() {
        #expect(throws: BundleError.notABundle) { try Bundle.load(Array("hello world, this is text".utf8)) }
    }
}
