import Foundation
import IVRReport

/// `ivrc report`, as a function of its options: reads the logs with
/// `CallRecordReader`, computes `CallStatistics` and renders them in a
/// `ReportFormat` (all in IVRReport); this file owns the command's words and
/// exit codes. No I/O beyond reading the logs and writing the requested
/// output files, so tests call it directly.
public enum ReportRunner {
    /// The command's options.
    public struct Options: Sendable {
        public var files: [String]
        public var format: ReportFormat = .text
        /// Write the report (in `format`) to this file instead of standard output.
        public var output: String?
        /// Also write the HTML page to this file.
        public var html: String?
        public var currentDirectory = FileManager.default.currentDirectoryPath

        public init(files: [String]) { self.files = files }
    }

    /// What the command prints and its exit code (0, or 2 for an unreadable
    /// file or an unwritable output).
    public struct Result: Sendable, Equatable {
        public var stdout: String
        public var stderr: String
        public var exitCode: Int32
    }

    public static func run(_ o: Options) -> Result {
        var reader = CallRecordReader()
        var errors: [String] = []
        for file in o.files {
            do throws(CallRecordReader.Unreadable) {
                try reader.read(path: file, currentDirectory: o.currentDirectory)
            } catch {
                errors.append("error: cannot read \(error.path)" + (error.reason.map { ": \($0)" } ?? ""))
            }
        }
        var stderr = (errors + malformedMessages(reader.malformed)).map { $0 + "\n" }.joined()
        guard errors.isEmpty else { return Result(stdout: "", stderr: stderr, exitCode: 2) }

        let stats = CallStatistics(reader.records)
        func render(_ f: ReportFormat) -> String { f.render(stats, files: reader.files, malformed: reader.malformed.count) }
        var stdout = ""
        if let html = o.html {
            guard write(render(.html), to: html, o.currentDirectory) else {
                return Result(stdout: "", stderr: stderr + "error: cannot write \(html)\n", exitCode: 2)
            }
        }
        if let output = o.output {
            guard write(render(o.format), to: output, o.currentDirectory) else {
                return Result(stdout: "", stderr: stderr + "error: cannot write \(output)\n", exitCode: 2)
            }
        } else {
            stdout = render(o.format)
        }
        if o.output != nil || o.html != nil {
            for path in [o.output, o.html].compactMap({ $0 }) { stderr += "wrote \(path)\n" }
        }
        return Result(stdout: stdout, stderr: stderr, exitCode: 0)
    }

    /// The stderr lines for skipped lines: the first `limit` by position, then a count.
    static func malformedMessages(_ malformed: [CallRecordReader.Malformed], limit: Int = 10) -> [String] {
        guard !malformed.isEmpty else { return [] }
        var lines = malformed.prefix(limit).map { "\($0.file):\($0.line): warning: skipped a line that is not a call record" }
        if malformed.count > limit { lines.append("... and \(malformed.count - limit) more") }
        let n = malformed.count
        lines.append("\(n) malformed line\(n == 1 ? "" : "s") skipped")
        return lines
    }

    static func write(_ text: String, to path: String, _ cwd: String) -> Bool {
        let full = path.hasPrefix("/") ? path : cwd + "/" + path
        return FileManager.default.createFile(atPath: full, contents: Data(text.utf8))
    }
}
