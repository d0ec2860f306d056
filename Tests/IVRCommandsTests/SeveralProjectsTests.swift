import Foundation
import IVRBytecode
import IVRCheck
import IVRRuntime
import Testing
@testable import IVRCommands

/// Paths that hold several projects, each with its own `ivr-project.yaml`
/// (`ivrc check examples/`): each flow is checked against its own manifest.
@Suite struct SeveralProjectsTests {
    /// Two projects whose directories each refuse the other's destinations:
    /// read as one project, every transfer would be an E203.
    static func workspace() throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        for (name, group, other) in [("north", "sales", "support"), ("south", "support", "sales")] {
            try folder.write("projects/\(name)/ivr-project.yaml", """
                name: \(name)
                flows: flows/
                audio: audio/
                directory:
                  groups: [\(group)]
                """)
            try folder.write("projects/\(name)/flows/\(name).yaml", """
                ivr: \(name)-main
                nodes:
                  start:
                    - play: {file: hello.wav, transcript: Connecting you.}
                    - transfer: {group: \(group)}
                """)
            try folder.write("projects/\(name)/audio/hello.wav", bytes: Self.silentWAV)
            try folder.write("projects/\(name)/tests/\(name).test.yaml", """
                flow: \(name)-main
                cases:
                  - name: goes to \(group), not \(other)
                    input: []
                    expect: {outcome: transfer, destination: {group: \(group)}}
                """)
        }
        return folder
    }

    /// 0.1 s of 8 kHz mono PCM16 silence.
    static var silentWAV: [UInt8] {
        func le(_ v: Int, _ n: Int) -> [UInt8] { (0..<n).map { UInt8((v >> (8 * $0)) & 0xFF) } }
        let data = [UInt8](repeating: 0, count: 1600)
        return Array("RIFF".utf8) + le(36 + data.count, 4) + Array("WAVEfmt ".utf8) + le(16, 4) + le(1, 2) + le(1, 2)
            + le(8000, 4) + le(16000, 4) + le(2, 2) + le(16, 2) + Array("data".utf8) + le(data.count, 4) + data
    }

    @Test func aFolderOfProjectsIsSplitByManifest() throws {
        let folder = try Self.workspace()
        defer { folder.remove() }
        let parts = ProjectLoader.split(paths: ["projects"], currentDirectory: folder.path)
        #expect(parts.map(\.paths) == [["projects"], ["projects/north"], ["projects/south"]])
        #expect(parts[0].excluding == [folder.path + "/projects/north", folder.path + "/projects/south"])
        let projects = try ProjectLoader.loadAll(paths: ["projects"], currentDirectory: folder.path).get()
        #expect(projects.map { $0.manifest?.name?.value } == ["north", "south"])
        // One project alone is not split.
        #expect(ProjectLoader.split(paths: ["projects/north"], currentDirectory: folder.path).map(\.paths) == [["projects/north"]])
    }

    @Test func checkAndTestTakeEachProjectAlone() async throws {
        let folder = try Self.workspace()
        defer { folder.remove() }
        let runner = CheckRunner(format: .json, currentDirectory: folder.path)
        for paths in [["projects"], ["projects/north", "projects/south"], ["projects/north/flows/north.yaml", "projects/south"]] {
            let out = runner.run(paths: paths)
            #expect(out.exitCode == 0, "\(paths): \(out.stdout)")
            #expect(out.stdout.contains(#""errors":0"#))
        }
        #expect(runner.run(paths: ["projects"]).stdout.contains(#""warnings":0,"files":4}"#))

        let tested = await FlowTestRunner.run(paths: ["projects"], currentDirectory: folder.path)
        #expect(tested.exitCode == 0, "\(tested.output)")
        #expect(tested.output.hasSuffix("2 passed, 0 failed\n"))
        #expect(tested.output.components(separatedBy: "coverage:").count == 3)

        // A real mistake in one project is still found.
        try folder.write("projects/south/flows/south.yaml", "ivr: south-main\nnodes:\n  start: {transfer: {group: sales}}\n")
        let broken = runner.run(paths: ["projects"])
        #expect(broken.exitCode == 1)
        #expect(broken.stdout.contains(#""code":"E203""#) && broken.stdout.contains("projects/south/flows/south.yaml"))
    }

    @Test func aBundleIsBuiltFromOneProject() throws {
        let folder = try Self.workspace()
        defer { folder.remove() }
        let refused = BuildRunner.run(paths: ["projects"], output: "all.ivrb", strip: false, currentDirectory: folder.path)
        #expect(refused.exitCode == 64)
        #expect(refused.output.contains("2 projects (projects/north; projects/south)"))
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/all.ivrb"))
        try FileManager.default.removeItem(atPath: folder.path + "/projects/south")
        // Only one project left in the folder: it is the one built.
        let built = BuildRunner.run(paths: ["projects"], output: "north.ivrb", strip: false, currentDirectory: folder.path)
        #expect(built.exitCode == 0, "\(built.output)")
    }
}
