import Foundation
import IVRCommands
import IVRRuntime
import Testing
@testable import IVRBytecode

@Suite struct DisassemblerTests {
    @Test func showsFlowsNodesLabelsAndConstants() throws {
        let root = try SampleProject.write()
        let bundle = try FlowBuild.build(paths: [root], currentDirectory: "/").get().bundle
        let text = Disassembler.disassemble(bundle)
        #expect(text.contains("flow acme-main extension \"800\"  ; flows/main.yaml"))
        #expect(text.contains("\nmain-menu:\n"))
        #expect(text.contains("QSAY      \"For sales press 1. For support press 2. For billing press 3.\""))
        #expect(text.contains("ONKEY     '1', sales"))
        #expect(text.contains("GOTOFLOW  flow billing"))
        #expect(text.contains("ACCEPT    $account"))
        #expect(text.contains("TRANSFER  sip, \"sip:sales@pbx.acme.example\""))
        #expect(text.contains("BACK      1"))
    }

    /// Every instruction the disassembler prints re-encodes to the bundle's bytes.
    @Test func roundTripsThroughTheDecoder() throws {
        let root = try SampleProject.write()
        let bundle = try FlowBuild.build(paths: [root], currentDirectory: "/").get().bundle
        for (index, flow) in bundle.flows.enumerated() {
            var w = ByteWriter()
            for ins in bundle.instructions(ofFlow: index) {
                w.byte(ins.opcode.rawValue)
                for op in ins.operands { w.operand(op) }
            }
            #expect(w.bytes == flow.code)
        }
        // And the whole image survives write -> load unchanged.
        #expect(try Bundle.load(BundleWriter.write(bundle.image)).image == bundle.image)
    }

    @Test func everyOpcodeHasANameOperandsAndComment() {
        var names: Set<String> = []
        for op in Opcode.allCases {
            #expect(!op.info.comment.isEmpty)
            #expect(names.insert(op.name).inserted)
        }
    }
}

@Suite struct BytecodeDocTests {
    /// docs/bytecode.md lists every opcode with its code and operands, as the table says.
    @Test func docListsEveryOpcode() throws {
        let doc = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/bytecode.md")
        let text = try String(contentsOf: doc, encoding: .utf8)
        for op in Opcode.allCases {
            let code = String(op.rawValue, radix: 16, uppercase: true)
            let operands = op.operands.map { "\($0)" }.joined(separator: ", ")
            let row = "| 0x\(code.count == 1 ? "0" + code : code) | `\(op.name)` | \(operands.isEmpty ? "—" : operands) | \(op.info.comment) |"
            #expect(text.contains(row), "missing: \(row)")
        }
    }
}

@Suite struct DisasmRunnerTests {
    @Test func printsSourceLinesWhenTheFilesAreFound() throws {
        let root = try SampleProject.write()
        #expect(BuildRunner.run(paths: ["."], output: "out.ivrb", strip: false, currentDirectory: root).exitCode == 0)
        let (text, code) = DisasmRunner.run(path: "out.ivrb", currentDirectory: root)
        #expect(code == 0)
        #expect(text.contains("  ; 16 |     menu:\n"))
        #expect(text.contains("; flows/main.yaml:16:5"))
    }

    @Test func refusesCorruptedBundlesWithExitCode2() throws {
        let root = try SampleProject.write()
        #expect(BuildRunner.run(paths: ["."], output: "out.ivrb", strip: true, currentDirectory: root).exitCode == 0)
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: root + "/out.ivrb")))
        bytes[bytes.count / 2] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: root + "/bad.ivrb"))
        let (text, code) = DisasmRunner.run(path: "bad.ivrb", currentDirectory: root)
        #expect(code == 2)
        #expect(text.hasPrefix("error: bad.ivrb: bundle is corrupted: checksum"))
        #expect(DisasmRunner.run(path: "none.ivrb", currentDirectory: root).exitCode == 2)
    }
}
