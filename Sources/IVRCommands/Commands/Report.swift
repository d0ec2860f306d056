import ArgumentParser
import IVRReport

extension ReportFormat: ExpressibleByArgument {}

/// `ivrc report FILE... [--format text|json|html] [-o FILE] [--html FILE]`:
/// statistics from call-record logs.
public struct Report: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Statistics from call records: calls per flow, outcomes, menu choices, abandonment, time in IVR.",
        discussion: """
            FILE is a call-record log: one JSON call record per line, as written by \
            `ivrc simulate --records`, `ivrc run --records` and the SIP backend ("-" reads \
            standard input), or a folder: every *.jsonl in it and its subfolders. Several \
            files and folders (the logs of several `ivrc serve` nodes) merge into one report, \
            with rows per server and per bundle when the records name them. Lines that are \
            not call records are skipped and counted on standard error.

            Exit status: 0 success, 2 a file cannot be read or written, 64 a malformed \
            command line.

            Examples:
              ivrc report calls.jsonl
              ivrc report calls-*.jsonl --format json
              ivrc report node1/calls.jsonl node2/calls.jsonl logs/
              ivrc report calls.jsonl --html report.html
              ivrc report calls.jsonl --format html -o report.html
            """)

    @Argument(help: "Call-record logs (JSON lines), or folders of them (*.jsonl).")
    public var files: [String]

    @Option(help: "text, json or html.")
    public var format: ReportFormat = .text

    @Option(name: .shortAndLong, help: "Write the report to this file instead of standard output.")
    public var output: String?

    @Option(help: "Also write the report as a self-contained HTML page to this file.")
    public var html: String?

    public init() {}

    public func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one call-record file") }
    }

    public func run() async throws {
        var options = ReportRunner.Options(files: files)
        options.format = format
        options.output = output
        options.html = html
        let r = ReportRunner.run(options)
        try CommandOutput(stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode).emit()
    }
}
