import Foundation
import IVRCheck
import IVRSyntax
import Testing

@Suite struct ProjectLoaderTests {
    @Test func findsFlowsTestsAndManifestRecursivelyInSortedOrder() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("ivr-project.yaml", "name: acme\n")
        try folder.write("flows/b.yaml", validFlow)
        try folder.write("flows/a.yml", validFlow)
        try folder.write("flows/sub/c.yaml", validFlow)
        try folder.write("tests/main.test.yaml", "flow: main\ncases: []\n")
        try folder.write("tests/other.test.yml", "flow: main\ncases: []\n")
        try folder.write(".hidden/x.yaml", validFlow)
        try folder.write(".build/y.yaml", validFlow)
        try folder.write(".build-linux/z.yaml", validFlow)
        try folder.write("audio/readme.txt", "not yaml")

        let project = try ProjectLoader.load(paths: [], currentDirectory: folder.path).get()
        #expect(project.flowFiles == ["flows/a.yml", "flows/b.yaml", "flows/sub/c.yaml"])
        #expect(project.testFiles == ["tests/main.test.yaml", "tests/other.test.yml"])
        #expect(project.manifestFile == "ivr-project.yaml")
        #expect(project.root == ".")
        #expect(project.manifest != nil)
        #expect(Set(project.files.keys) == ["ivr-project.yaml", "flows/a.yml", "flows/b.yaml", "flows/sub/c.yaml"])
        #expect(project.diagnostics.isEmpty)
    }

    @Test func pathsAreShownRelativeToTheCurrentFolder() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("proj/flows/dup.yaml", duplicateKeyFlow)
        let fromInside = try ProjectLoader.load(paths: ["./proj/flows/../flows"], currentDirectory: folder.path).get()
        #expect(fromInside.flowFiles == ["proj/flows/dup.yaml"])
        #expect(fromInside.diagnostics.map(\.file) == ["proj/flows/dup.yaml"])
        #expect(fromInside.diagnostics.map(\.code) == [.E002])

        let absolute = try ProjectLoader.load(paths: [folder.path + "/proj"], currentDirectory: folder.path + "/proj").get()
        #expect(absolute.flowFiles == ["flows/dup.yaml"])

        let same = try ProjectLoader.load(paths: ["../flows"], currentDirectory: folder.path + "/proj/flows").get()
        #expect(same.flowFiles == ["dup.yaml"])

        try folder.write("proj/other/readme.txt", "")
        let outside = try ProjectLoader.load(paths: ["../flows"], currentDirectory: folder.path + "/proj/other").get()
        #expect(outside.flowFiles == ["../flows/dup.yaml"])

        let elsewhere = try ProjectLoader.load(paths: [folder.path + "/proj/flows/dup.yaml"], currentDirectory: "/nonexistent").get()
        #expect(elsewhere.flowFiles == [folder.path + "/proj/flows/dup.yaml"])
    }

    @Test func manifestIsFoundBesideAGivenFileOrInItsParents() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("ivr-project.yaml", "name: acme\n")
        try folder.write("flows/deep/main.yaml", validFlow)
        let project = try ProjectLoader.load(paths: ["flows/deep/main.yaml"], currentDirectory: folder.path).get()
        #expect(project.manifestFile == "ivr-project.yaml")
        #expect(project.flowFiles == ["flows/deep/main.yaml"])

        let fromBelow = try ProjectLoader.load(paths: ["main.yaml"], currentDirectory: folder.path + "/flows/deep").get()
        #expect(fromBelow.manifestFile == "../../ivr-project.yaml")
        #expect(fromBelow.root == "../..")
    }

    /// `ivrc test tests/main.test.yaml`: the flows come from the project
    /// (the manifest's, else the folder above `tests/`); only that test file runs.
    @Test func aTestFileAloneBringsItsProjectsFlows() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("ivr-project.yaml", "name: acme\nflows: flows/\n")
        try folder.write("flows/main.yaml", validFlow)
        try folder.write("flows/other.yaml", validFlow.replacingOccurrences(of: "ivr: main", with: "ivr: other"))
        try folder.write("tests/main.test.yaml", "flow: main\ncases: []\n")
        try folder.write("tests/other.test.yaml", "flow: other\ncases: []\n")
        let project = try ProjectLoader.load(paths: ["tests/main.test.yaml"], currentDirectory: folder.path).get()
        #expect(project.flowFiles == ["flows/main.yaml", "flows/other.yaml"])
        #expect(project.testFiles == ["tests/main.test.yaml"])
        #expect(project.contextFlows.isEmpty)

        let loose = try TemporaryFolder()
        defer { loose.remove() }
        try loose.write("main.yaml", validFlow)
        try loose.write("tests/main.test.yaml", "flow: main\ncases: []\n")
        let fromInside = try ProjectLoader.load(paths: ["main.test.yaml"], currentDirectory: loose.path + "/tests").get()
        #expect(fromInside.flowFiles == ["../main.yaml"])
        #expect(fromInside.testFiles == ["main.test.yaml"])
    }

    @Test func manifestSearchStopsAtAGitBoundary() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("ivr-project.yaml", "name: outer\n")
        try folder.write("repo/.git/HEAD", "ref: refs/heads/main\n")
        try folder.write("repo/flows/main.yaml", validFlow)
        let project = try ProjectLoader.load(paths: ["repo/flows"], currentDirectory: folder.path).get()
        #expect(project.manifestFile == nil)
        #expect(project.flowFiles == ["repo/flows/main.yaml"])
    }

    @Test func manifestFlowsFolderIsUsedForTheProjectFolder() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("ivr-project.yaml", "name: acme\nflows: flows/\n")
        try folder.write("flows/main.yaml", validFlow)
        try folder.write("scratch/old.yaml", duplicateKeyFlow)
        try folder.write("tests/main.test.yaml", "flow: main\ncases: []\n")
        let project = try ProjectLoader.load(paths: ["."], currentDirectory: folder.path).get()
        #expect(project.flowFiles == ["flows/main.yaml"])
        #expect(project.testFiles == ["tests/main.test.yaml"])
    }

    @Test func flowsFolderIsIgnoredWhenAFolderInsideIsGivenAndMissingOneIsReported() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("ivr-project.yaml", "name: acme\nflows: flows/\n")
        try folder.write("flows/main.yaml", validFlow)
        try folder.write("scratch/old.yaml", validFlow)
        let scratch = try ProjectLoader.load(paths: ["scratch"], currentDirectory: folder.path).get()
        #expect(scratch.flowFiles == ["scratch/old.yaml"])
        #expect(scratch.manifestFile == "ivr-project.yaml")

        try folder.write("ivr-project.yaml", "name: acme\nflows: nowhere/\n")
        let missing = try ProjectLoader.load(paths: [], currentDirectory: folder.path).get()
        #expect(missing.flowFiles == ["flows/main.yaml", "scratch/old.yaml"])
        #expect(missing.diagnostics.map(\.code) == [.E006])
        #expect(missing.diagnostics.first?.file == "ivr-project.yaml")
        #expect(missing.diagnostics.first?.range.start.line == 2)
    }

    @Test func explicitFilesAreParsedWhateverTheirName() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("flow.txt", syntaxErrorFlow)
        try folder.write("t.test.yaml", "flow: x\n")
        let project = try ProjectLoader.load(paths: ["flow.txt", "t.test.yaml", "flow.txt"], currentDirectory: folder.path).get()
        #expect(project.flowFiles == ["flow.txt"])
        #expect(project.testFiles == ["t.test.yaml"])
        #expect(project.diagnostics.map(\.code) == [.E001])
        #expect(project.diagnostics.first?.file == "flow.txt")
    }

    @Test func invalidUTF8IsHandedToTheParser() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("bad.yaml", bytes: Array("ivr: x\nname: ".utf8) + [0xFF, 0xFE, 0x0A])
        let project = try ProjectLoader.load(paths: [], currentDirectory: folder.path).get()
        #expect(project.files["bad.yaml"]?.bytes.contains(0xFF) == true)
        #expect(project.diagnostics.map(\.code) == [.E001])
    }

    @Test func missingPathIsALoadError() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = ProjectLoader.load(paths: ["nope.yaml"], currentDirectory: folder.path)
        #expect(throws: LoadError("no such file or folder: nope.yaml")) { try result.get() }
    }

    @Test func symbolicLinkLoopsEndAndEmptyFoldersAreEmptyProjects() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("a/main.yaml", validFlow)
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/a/loop", withDestinationPath: folder.path + "/a")
        let project = try ProjectLoader.load(paths: [], currentDirectory: folder.path).get()
        #expect(project.flowFiles == ["a/main.yaml"])

        let empty = try TemporaryFolder()
        defer { empty.remove() }
        let nothing = try ProjectLoader.load(paths: [], currentDirectory: empty.path).get()
        #expect(nothing.files.isEmpty && nothing.diagnostics.isEmpty)
    }
}
