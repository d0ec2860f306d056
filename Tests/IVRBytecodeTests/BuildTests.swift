import Foundation
import IVRCommands
import IVRRuntime
import Testing
@testable import IVRBytecode

@Suite struct BuildTests {
    @Test func twoBuildsGiveIdenticalBytes() throws {
        let root = try SampleProject.write()
        let a = try FlowBuild.build(paths: [root], currentDirectory: "/").get().bytes
        let b = try FlowBuild.build(paths: [root], currentDirectory: "/").get().bytes
        #expect(a == b)
    }

    @Test func buildFromAnotherFolderGivesIdenticalBytes() throws {
        let root = try SampleProject.write()
        let parent = (root as NSString).deletingLastPathComponent
        let name = (root as NSString).lastPathComponent
        let fromParent = try FlowBuild.build(paths: [name], currentDirectory: parent).get().bytes
        let fromInside = try FlowBuild.build(paths: ["."], currentDirectory: root).get().bytes
        let absolute = try FlowBuild.build(paths: [root], currentDirectory: "/tmp").get().bytes
        #expect(fromParent == fromInside)
        #expect(fromParent == absolute)
        // A second copy of the project elsewhere compiles to the same bytes too.
        let copy = try SampleProject.write()
        #expect(try FlowBuild.build(paths: [copy], currentDirectory: "/").get().bytes == absolute)
        #expect(!String(decoding: absolute, as: UTF8.self).contains(root))
    }

    @Test func stripDropsTheDebugSection() throws {
        let root = try SampleProject.write()
        let full = try FlowBuild.build(paths: [root], currentDirectory: "/").get()
        let stripped = try FlowBuild.build(paths: [root], currentDirectory: "/", strip: true).get()
        #expect(stripped.bytes.count < full.bytes.count)
        #expect(full.bundle.image.hasDebugInfo)
        #expect(!stripped.bundle.image.hasDebugInfo)
        #expect(!String(decoding: stripped.bytes, as: UTF8.self).contains("flows/main.yaml"))
        #expect(Disassembler.disassemble(full.bundle).contains("; flows/main.yaml:"))
        #expect(!Disassembler.disassemble(stripped.bundle).contains("flows/main.yaml"))
    }

    @Test func buildRunnerWritesTheBundleAndRefusesErrors() throws {
        let root = try SampleProject.write()
        let out = root + "/out.ivrb"
        let ok = BuildRunner.run(paths: ["flows"], output: "out.ivrb", strip: false, currentDirectory: root)
        #expect(ok.exitCode == 0)
        #expect(ok.output.contains("wrote out.ivrb: 2 flows"))
        let bytes = try #require(FileManager.default.contents(atPath: out))
        #expect(try Bundle.load([UInt8](bytes)).flowNames == ["acme-main", "billing"])

        let broken = try SampleProject.write(files: ["flows/bad.yaml": "ivr: bad\nnodes:\n  a:\n    sya: hi\n"])
        let refused = BuildRunner.run(paths: [broken], output: "x.ivrb", strip: false, currentDirectory: broken)
        #expect(refused.exitCode == 1)
        #expect(refused.output.contains("error[E003]"))
        #expect(refused.output.contains("build refused"))
        #expect(!FileManager.default.fileExists(atPath: broken + "/x.ivrb"))

        let missing = BuildRunner.run(paths: ["/no/such/folder"], output: "x.ivrb", strip: false, currentDirectory: "/")
        #expect(missing.exitCode == 2)
    }

    /// `--strict`: a warning refuses the build (and writes nothing); without
    /// it the same sources build and the warning is printed.
    @Test func strictRefusesWarnings() throws {
        let warned = try SampleProject.write(files: ["flows/extra.yaml": "ivr: extra\nnodes:\n  a:\n    say: hi\n"])
        let lenient = BuildRunner.run(paths: [warned], output: "ok.ivrb", strip: false, currentDirectory: warned)
        #expect(lenient.exitCode == 0)
        #expect(lenient.output.contains("warning[W304]"))
        let strict = BuildRunner.run(paths: [warned], output: "no.ivrb", strip: false, strict: true, currentDirectory: warned)
        #expect(strict.exitCode == 1)
        #expect(strict.output.contains("build refused: 1 warning (--strict)"))
        #expect(!FileManager.default.fileExists(atPath: warned + "/no.ivrb"))
        let clean = try SampleProject.write(files: ["flows/extra.yaml": "ivr: extra\nnodes:\n  a:\n    - say: hi\n    - hangup\n"])
        let ok = BuildRunner.run(paths: [clean], output: "s.ivrb", strip: false, strict: true, currentDirectory: clean)
        #expect(ok.exitCode == 0, "\(ok.output)")
    }

    /// A bundle is known by its magic number, whatever its name.
    @Test func bundlesAreRecognisedByTheirMagicNumber() throws {
        let root = try SampleProject.write()
        #expect(BuildRunner.run(paths: ["flows"], output: "app.bin", strip: false, currentDirectory: root).exitCode == 0)
        #expect(BundleFormat.isBundle(path: "app.bin", currentDirectory: root))
        #expect(BundleFormat.isBundle(path: "missing.ivrb", currentDirectory: root))  // by name: the load says it is missing
        #expect(!BundleFormat.isBundle(path: "flows/main.yaml", currentDirectory: root))
        #expect(!BundleFormat.isBundle(path: "flows", currentDirectory: root))
        #expect(!BundleFormat.isBundle(path: "nowhere.bin", currentDirectory: root))
    }

    @Test func stringPoolHoldsEachStringOnce() throws {
        let root = try SampleProject.write()
        let bundle = try FlowBuild.build(paths: [root], currentDirectory: "/").get().bundle
        #expect(Set(bundle.strings).count == bundle.strings.count)
        // "^10[01][0-9]$" is used by EXTEND and ONEXT: stored once.
        #expect(bundle.strings.filter { $0 == "^10[01][0-9]$" }.count == 1)
    }

    @Test func flowsAreFoundByNameOrExtension() throws {
        let root = try SampleProject.write()
        let bundle = try FlowBuild.build(paths: [root], currentDirectory: "/").get().bundle
        #expect(bundle.flowIndex("acme-main") == bundle.flowIndex("800"))
        #expect(bundle.flowIndex("billing") != nil)
        #expect(bundle.flowIndex("nope") == nil)
    }
}
