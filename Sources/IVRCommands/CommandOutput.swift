#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Foundation

/// What a command produced: text for standard output and standard error,
/// and the process exit code. Commands compute one (testable, no I/O) and
/// `emit` it.
public struct CommandOutput: Sendable, Equatable {
    public var stdout: String
    public var stderr: String
    public var exitCode: Int32

    public init(stdout: String = "", stderr: String = "", exitCode: Int32) {
        self.stdout = stdout
        self.stderr = stderr
        self.exitCode = exitCode
    }

    /// Exit codes shared by every command (toolchain.md).
    public enum Code {
        /// Success.
        public static let success: Int32 = 0
        /// The input has errors, or a test failed.
        public static let failure: Int32 = 1
        /// An I/O problem: a missing file, an unreadable or corrupted bundle.
        public static let ioError: Int32 = 2
        /// A malformed command line (swift-argument-parser's usage code).
        public static let usage: Int32 = 64
    }

    /// Writes the output and ends the command with its exit code.
    public func emit() throws {
        if !stdout.isEmpty { FileHandle.standardOutput.write(Data(stdout.utf8)) }
        if !stderr.isEmpty { FileHandle.standardError.write(Data(stderr.utf8)) }
        if exitCode != Code.success { throw ExitCode(exitCode) }
    }

    /// Whether standard output is a terminal (for `--color auto`).
    public static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) != 0 }
}
