import Foundation
import Testing

/// The outside tools the tests drive, all installed by the README's test
/// command (scripts/test.sh) before the first test runs. A test whose tool is missing is skipped with
/// `TestTools.reason(...)` as its comment; tests never install anything.
public enum TestTools {
    /// The repository's root folder (this file is Tests/IVRTestSupport/TestTools.swift).
    public static let repositoryRoot: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// The Python of the virtual environment the test command makes.
    public static var venvPython: String { repositoryRoot + "/.build/test-venv/bin/python" }

    /// Whether `tool` is an executable file in a folder of PATH.
    public static func onPath(_ tool: String) -> Bool {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)") }
    }

    /// Whether the test venv's Python imports every module.
    public static func venvImports(_ modules: String...) -> Bool {
        guard FileManager.default.isExecutableFile(atPath: venvPython) else { return false }
        let run = try? runProcessBlocking(venvPython, ["-c", modules.map { "import \($0)" }.joined(separator: "; ")])
        return run?.status == 0
    }

    /// The skip reason for a missing Debian tool.
    public static func missing(_ tool: String, package: String) -> Comment {
        Comment(rawValue: "\(tool) is not installed (Debian package \(package); scripts/test.sh installs it before the tests)")
    }

    /// The skip reason for Python modules missing from the test venv.
    public static func missingPython(_ modules: String) -> Comment {
        Comment(rawValue: "\(modules) not in .build/test-venv (scripts/test.sh makes it before the tests)")
    }
}
