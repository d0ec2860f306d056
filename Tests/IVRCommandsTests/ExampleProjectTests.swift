import Foundation
import IVRTestSupport
import Testing
@testable import IVRCommands

/// Every bundled example is a whole project: a manifest, flows that check
/// clean under `--strict`, telephony-ready audio, and tests that pass with
/// full node and option coverage.
@Suite struct ExampleProjectTests {
    static let examples = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples")

    static func projects() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: examples.path)) ?? []
        return names.filter { name in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: examples.appendingPathComponent(name).path,
                                                  isDirectory: &isDirectory) && isDirectory.boolValue
        }.sorted()
    }

    @Test func thereAreExamples() {
        #expect(Self.projects().count >= 5)
    }

    @Test(arguments: projects())
    func checksCleanUnderStrict(_ project: String) {
        let out = CheckRunner(strict: true, currentDirectory: Self.examples.path).run(paths: [project])
        #expect(out.exitCode == 0, "\(out.stdout)\(out.stderr)")
        #expect(out.stdout.hasPrefix("0 errors, 0 warnings in "))
    }

    static func files(in project: String, folder: String, suffix: String) -> [String] {
        let path = examples.appendingPathComponent(project).appendingPathComponent(folder).path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.filter { $0.hasSuffix(suffix) }.sorted().map { path + "/" + $0 }
    }

    @Test(arguments: projects())
    func hasAManifestAudioAndTests(_ project: String) {
        let folder = Self.examples.appendingPathComponent(project)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("ivr-project.yaml").path))
        #expect(!Self.files(in: project, folder: "flows", suffix: ".yaml").isEmpty)
        #expect(!Self.files(in: project, folder: "tests", suffix: ".test.yaml").isEmpty)
        #expect(!Self.files(in: project, folder: "audio", suffix: ".wav").isEmpty)
    }

    /// The format fields of a WAV file's `fmt ` chunk: (format, channels, rate, bits).
    static func wavFormat(_ path: String) -> (format: Int, channels: Int, rate: Int, bits: Int)? {
        guard let data = FileManager.default.contents(atPath: path), data.count >= 12 else { return nil }
        let bytes = [UInt8](data)
        func u16(_ i: Int) -> Int { Int(bytes[i]) | Int(bytes[i + 1]) << 8 }
        func u32(_ i: Int) -> Int { u16(i) | u16(i + 2) << 16 }
        guard bytes[0..<4] == [0x52, 0x49, 0x46, 0x46], bytes[8..<12] == [0x57, 0x41, 0x56, 0x45] else { return nil }
        var offset = 12
        while offset + 8 <= bytes.count {
            let size = u32(offset + 4)
            if bytes[offset..<offset + 4] == [0x66, 0x6d, 0x74, 0x20], offset + 24 <= bytes.count {
                return (u16(offset + 8), u16(offset + 10), u32(offset + 12), u16(offset + 22))
            }
            offset += 8 + size + (size & 1)
        }
        return nil
    }

    /// scripts/make-example-audio.sh makes 8 kHz mono 16-bit PCM WAV prompts.
    @Test(arguments: projects())
    func audioIsTelephonyReady(_ project: String) throws {
        for path in Self.files(in: project, folder: "audio", suffix: ".wav") {
            let format = try #require(Self.wavFormat(path), "\(path) is not a WAV file")
            #expect(format.format == 1 && format.channels == 1 && format.rate == 8000 && format.bits == 16,
                    "\(path): \(format)")
        }
    }

    /// `ivrc test` passes every case, with no warning, and covers every
    /// node, menu option and transfer on-fail path.
    @Test(arguments: projects())
    func testsPassWithFullCoverage(_ project: String) async throws {
        let run = try await BinaryTests.run(["test", project], in: Self.examples.path)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let coverage = try #require(run.stdout.split(separator: "\n").first { $0.hasPrefix("coverage: ") })
        let fractions = coverage.split(separator: " ").filter { $0.contains("/") }
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ",;")).split(separator: "/") }
        #expect(fractions.count == 2 || (fractions.count == 3 && coverage.contains(", on-fail paths ")), "\(coverage)")
        for fraction in fractions {
            #expect(fraction.count == 2 && fraction[0] == fraction[1] && fraction[0] != "0", "\(coverage)")
        }
        #expect(!coverage.contains("not covered"), "\(coverage)")
        #expect(run.stdout.contains(" passed, 0 failed"))
        #expect(!run.stdout.contains("warning:"), "\(run.stdout)")
    }
}
