import Foundation
import IVRTestSupport
import Testing

/// Runs the built `ivrc` executable as a subprocess: real exit codes, real
/// streams, stdout a pipe (not a terminal).
@Suite struct BinaryTests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `ivrc` binary in the build products folder, next to the test bundle.
    static func binary() throws -> URL {
        var folders: [URL] = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
        if let executable = Bundle.main.executableURL { folders.append(executable.deletingLastPathComponent()) }
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            folders.append(bundle.bundleURL.deletingLastPathComponent())
        }
        folders.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        for folder in folders {
            let candidate = folder.appendingPathComponent("ivrc")
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isFolder), !isFolder.boolValue {
                return candidate
            }
        }
        throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "ivrc next to the test bundle"])
    }

    /// Runs the binary in `folder` (off the cooperative pool).
    static func run(_ arguments: [String], in folder: String, environment: [String: String] = [:]) async throws -> Run {
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = nil
        env.merge(environment) { _, new in new }
        let r = try await runProcess(try binary().path, arguments, in: folder, environment: env)
        return Run(status: r.status, stdout: r.stdout, stderr: r.stderr)
    }

    @Test func exitCodesOfTheRealBinary() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("good/main.yaml", validFlow)
        try folder.write("bad/dup.yaml", duplicateKeyFlow)

        let good = try await Self.run(["check", "good"], in: folder.path)
        #expect(good.status == 0)
        #expect(good.stdout == "0 errors, 0 warnings in 1 file\n")

        let bad = try await Self.run(["check", "bad"], in: folder.path)
        #expect(bad.status == 1)
        #expect(bad.stdout.hasPrefix("bad/dup.yaml:4:3: error[E002]: duplicate key 'a'\n"))
        #expect(bad.stdout.hasSuffix("\n1 error, 0 warnings in 1 file\n"))

        let missing = try await Self.run(["check", "nowhere.yaml"], in: folder.path)
        #expect(missing.status == 2)
        #expect(missing.stdout == "")
        #expect(missing.stderr == "error: no such file or folder: nowhere.yaml\n")

        let usage = try await Self.run(["check", "--format", "xml"], in: folder.path)
        #expect(usage.status == 64)
        #expect(usage.stderr.contains("'xml'"))
        #expect(try await Self.run(["frobnicate"], in: folder.path).status == 64)
        #expect(try await Self.run(["check", "--no-such-flag"], in: folder.path).status == 64)
    }

    /// `build -o -` writes the bundle to standard output, the same bytes as a file.
    @Test func buildToStandardOutput() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("good/main.yaml", validFlow)
        #expect(try await Self.run(["build", "good", "-o", "file.ivrb"], in: folder.path).status == 0)
        let piped = try await runProcess("/bin/sh", ["-c", "'\(try Self.binary().path)' build good -o - > piped.ivrb"], in: folder.path)
        #expect(piped.status == 0 && piped.stderr.isEmpty)
        let file = try #require(FileManager.default.contents(atPath: folder.path + "/file.ivrb"))
        #expect(FileManager.default.contents(atPath: folder.path + "/piped.ivrb") == file)
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/-"))
        let refused = try await Self.run(["build", "nowhere", "-o", "-"], in: folder.path)
        #expect(refused.status == 2 && refused.stdout.isEmpty)
    }

    @Test func colourOnlyWhenAskedOrOnATerminal() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("dup.yaml", duplicateKeyFlow)
        let piped = try await Self.run(["check"], in: folder.path)
        #expect(piped.status == 1)
        #expect(!piped.stdout.contains("\u{1B}["))
        let always = try await Self.run(["check", "--color", "always"], in: folder.path, environment: ["NO_COLOR": "1"])
        #expect(always.stdout.contains("\u{1B}[1;31merror[E002]:\u{1B}[0m"))
        let never = try await Self.run(["check", "--color", "never"], in: folder.path)
        #expect(never.stdout == piped.stdout)
    }

    @Test func formatsAndVersionThroughTheBinary() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("flows/dup.yaml", duplicateKeyFlow)
        let json = try await Self.run(["check", "--format", "json"], in: folder.path)
        #expect(json.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["errors"] as? Int == 1)
        #expect(object["files"] as? Int == 1)

        let github = try await Self.run(["check", "--format", "github", "flows"], in: folder.path)
        #expect(github.stdout == "::error file=flows/dup.yaml,line=4,col=3,title=E002::duplicate key 'a'\n")

        let version = try await Self.run(["--version"], in: folder.path)
        #expect(version.status == 0)
        #expect(!version.stdout.isEmpty)

        let help = try await Self.run(["check", "--help"], in: folder.path)
        #expect(help.status == 0)
        #expect(help.stdout.contains("USAGE: ivrc check [<paths> ...]"))
        #expect(help.stdout.contains("ivrc check --strict --format github ."))
    }
}
