import ArgumentParser
import Foundation
import IVRCheck
import IVRSyntax

/// `ivrc graph [PATH...] [--flow NAME] [--format dot|mermaid]`: the phone
/// tree as a graph.
public struct Graph: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Draw the phone tree as a Graphviz or Mermaid graph.",
        discussion: """
            Nodes are shaped by what they do (menu, capture, transfer, hangup, \
            branch, webhook, record); edges carry the key pressed, and the paths \
            taken on timeout, invalid input, exhausted attempts, a failed transfer \
            (on-fail) or webhook (on-error) are dashed. Nodes no caller can reach \
            are grey. With several flows, each is a cluster and `ivr:` transfers \
            connect them.

            PATH is read as by `ivrc check` (default: the current folder). The \
            graph is drawn even when the flows have errors: they are listed on \
            standard error and the exit status is 1, as for `ivrc check`.

            Examples:
              ivrc graph examples/first-national-bank | dot -Tsvg -o bank.svg
              ivrc graph flows/ --flow acme-main --format mermaid > docs/acme-main.mmd
            """)

    @Argument(help: "Flow files or folders (default: the current folder).",
              completion: .file(extensions: ["yaml", "yml"]))
    public var paths: [String] = []

    @Option(help: "Draw only this flow (its name or extension).",
            completion: .custom { words, _, prefix in GraphRunner.flowNames(words: words, prefix: prefix) })
    public var flow: String?

    @Option(help: "dot (Graphviz) or mermaid.")
    public var format: GraphFormat = .dot

    public init() {}

    public func run() async throws {
        try GraphRunner(format: format, flow: flow).run(paths: paths).emit()
    }
}

/// The output language of `ivrc graph`.
public enum GraphFormat: String, CaseIterable, Sendable, ExpressibleByArgument {
    case dot
    case mermaid
}

/// The logic of `ivrc graph`, free of process I/O.
public struct GraphRunner: Sendable {
    public var format: GraphFormat
    public var flow: String?
    /// The folder relative paths resolve against (default: the process's).
    public var currentDirectory: String?

    public init(format: GraphFormat = .dot, flow: String? = nil, currentDirectory: String? = nil) {
        self.format = format
        self.flow = flow
        self.currentDirectory = currentDirectory
    }

    /// Shell completion for `--flow`: the names and extensions of the flows
    /// in the paths typed so far (those that exist), else the current folder.
    public static func flowNames(words: [String], prefix: String) -> [String] {
        let paths = words.dropFirst().filter { !$0.hasPrefix("-") && PathCheck.exists($0) }
        guard case .success(let project) = ProjectLoader.load(paths: Array(paths)) else { return [] }
        let names = project.flows.map(\.name.value) + project.flows.compactMap { $0.extensionNumber?.value }
        return names.filter { $0.hasPrefix(prefix) }.sorted()
    }

    /// The graph on stdout (exit 0). Exit 1 when the flows have errors (the
    /// graph is still drawn, the errors go to stderr) or there is no flow to
    /// draw; 64 when `--flow` names none (as `simulate` and `call` do); 2
    /// when a path cannot be read.
    public func run(paths: [String]) -> CommandOutput {
        // Several projects (each with its own manifest) are checked one by
        // one and drawn together.
        let cwd = currentDirectory ?? FileManager.default.currentDirectoryPath
        var project = Project()
        var errors: [Diagnostic] = []
        switch ProjectLoader.loadAll(paths: paths, currentDirectory: cwd) {
        case .failure(let error):
            return CommandOutput(stderr: "error: \(error.message)\n", exitCode: CommandOutput.Code.ioError)
        case .success(let projects):
            for p in projects {
                errors += Checker.check(p).filter { $0.severity == .error }
                project.flows += p.flows
            }
        }
        guard !project.flows.isEmpty else {
            return CommandOutput(stderr: Self.lines(errors) + "error: no flow to draw (no readable flow file found)\n",
                                 exitCode: CommandOutput.Code.failure)
        }
        var flows = project.flows
        if let wanted = flow {
            flows = flows.filter { $0.name.value == wanted || $0.extensionNumber?.value == wanted }
            if flows.isEmpty {
                let known = project.flows.map(\.name.value).sorted().joined(separator: ", ")
                return CommandOutput(stderr: "error: no flow named '\(wanted)' (and none with that extension); "
                                        + "the flows are: \(known)\n",
                                     exitCode: CommandOutput.Code.usage)
            }
        }
        let graph = PhoneTree(flows: flows)
        if flow != nil {
            // Only the errors of the flows drawn count.
            let files = Set(flows.map(\.file))
            errors = errors.filter { files.contains($0.file) }
        }
        var stderr = ""
        if !errors.isEmpty {
            stderr = Self.lines(errors) + "error: \(errors.count) error\(errors.count == 1 ? "" : "s") in the flows; "
                + "the graph shows what could be read (run 'ivrc check' for details)\n"
        }
        return CommandOutput(stdout: format == .dot ? graph.dot() : graph.mermaid(), stderr: stderr,
                             exitCode: errors.isEmpty ? CommandOutput.Code.success : CommandOutput.Code.failure)
    }

    /// One `file:line:column: error[CODE]: message` line per diagnostic.
    static func lines(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map { HumanFormatter.plain.diagnostic($0, detail: .line) }.joined()
    }
}

/// Whether a typed word names something on disk (for completion).
enum PathCheck {
    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }
}
