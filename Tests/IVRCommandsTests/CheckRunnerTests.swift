import Foundation
import IVRCheck
import IVRSyntax
import Testing
@testable import IVRCommands

@Suite struct CheckRunnerTests {
    /// A project with a YAML syntax error and a duplicate key.
    static func brokenProject() throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        try folder.write("flows/broken.yaml", syntaxErrorFlow)
        try folder.write("flows/dup.yaml", duplicateKeyFlow)
        return folder
    }

    @Test func humanOutputForARealBrokenFlow() throws {
        let folder = try Self.brokenProject()
        defer { folder.remove() }
        let out = CheckRunner(currentDirectory: folder.path).run(paths: [])
        #expect(out.exitCode == 1)
        #expect(out.stderr == "")
        #expect(out.stdout == """
            flows/broken.yaml:6:10: error[E001]: YAML syntax error: did not find expected alphabetic or numeric character while scanning an alias
                6 |         *: hangup
                  |          ^
               = note: flows/broken.yaml:6:9: while scanning an alias
                6 |         *: hangup
                  |         -
               = help: keys '*' and '#' must be quoted in YAML: write "*": ... or use the alias star (or hash / pound for '#')

            flows/dup.yaml:4:3: error[E002]: duplicate key 'a'
                4 |   a: hangup
                  |   ^
               = note: flows/dup.yaml:3:3: 'a' is first defined here
                3 |   a: hangup
                  |   -
               = help: remove one of the two entries

            2 errors, 0 warnings in 2 files

            """)
    }

    @Test func jsonGithubAndSarifForARealBrokenFlow() throws {
        let folder = try Self.brokenProject()
        defer { folder.remove() }
        let json = CheckRunner(format: .json, currentDirectory: folder.path).run(paths: ["flows/dup.yaml"])
        #expect(json.exitCode == 1)
        #expect(json.stdout == #"""
            {"diagnostics":[{"code":"E002","severity":"error","message":"duplicate key 'a'","file":"flows/dup.yaml","line":4,"column":3,"endLine":4,"endColumn":4,"notes":[{"message":"'a' is first defined here","file":"flows/dup.yaml","line":3,"column":3,"endLine":3,"endColumn":4},{"message":"help: remove one of the two entries"}],"fix":null}],"errors":1,"warnings":0,"files":1}

            """#)

        let github = CheckRunner(format: .github, currentDirectory: folder.path).run(paths: ["flows/dup.yaml"])
        #expect(github.stdout == """
            ::error file=flows/dup.yaml,line=4,col=3,title=E002::duplicate key 'a'

            """)
        #expect(github.stderr == "1 error, 0 warnings in 1 file\n")

        let sarif = CheckRunner(format: .sarif, currentDirectory: folder.path).run(paths: [])
        let log = try #require(try JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as? [String: Any])
        let results = try #require((log["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])
        #expect(results.compactMap { $0["ruleId"] as? String } == ["E001", "E002"])
        #expect(sarif.exitCode == 1)
    }

    @Test func exitCodes() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("flows/main.yaml", validFlow)
        let clean = CheckRunner(currentDirectory: folder.path).run(paths: [])
        #expect(clean.exitCode == 0)
        #expect(clean.stdout == "0 errors, 0 warnings in 1 file\n")

        let missing = CheckRunner(currentDirectory: folder.path).run(paths: ["flows", "missing/"])
        #expect(missing.exitCode == 2)
        #expect(missing.stdout == "")
        #expect(missing.stderr == "error: no such file or folder: missing/\n")
    }

    @Test func warningsPassUnlessStrict() {
        let report = CheckReport(diagnostics: [Sample.implicitHangup], sources: ["flows/main.yaml": Sample.main], fileCount: 1)
        #expect(CheckRunner().report(report).exitCode == 0)
        let strict = CheckReport(diagnostics: [Sample.implicitHangup], fileCount: 1, strict: true)
        let out = CheckRunner(format: .json).report(strict)
        #expect(out.exitCode == 1)
        #expect(out.stdout.hasSuffix(#""errors":1,"warnings":0,"files":1}"# + "\n"))
    }

    @Test func colourFollowsModeTerminalAndNoColor() {
        #expect(ColorMode.auto.enabled(isTerminal: true, environment: [:]))
        #expect(!ColorMode.auto.enabled(isTerminal: false, environment: [:]))
        #expect(!ColorMode.auto.enabled(isTerminal: true, environment: ["NO_COLOR": "1"]))
        #expect(ColorMode.auto.enabled(isTerminal: true, environment: ["NO_COLOR": ""]))
        #expect(ColorMode.always.enabled(isTerminal: false, environment: ["NO_COLOR": "1"]))
        #expect(!ColorMode.never.enabled(isTerminal: true, environment: [:]))
    }

    @Test func argumentParsing() throws {
        let command = try #require(try IVRC.parseAsRoot(["check", "a", "b", "--format", "sarif", "--strict", "--color", "never"]) as? Check)
        #expect(command.paths == ["a", "b"])
        #expect(command.options.format == .sarif)
        #expect(command.options.strict)
        #expect(command.options.color == .never)
        let defaults = try #require(try IVRC.parseAsRoot(["check"]) as? Check)
        #expect(defaults.paths.isEmpty && defaults.options.format == .human && !defaults.options.strict)
        #expect(throws: (any Error).self) { try IVRC.parseAsRoot(["check", "--format", "xml"]) }
        #expect(IVRC.exitCode(for: CheckRunnerTests.usageError()).rawValue == 64)
    }

    /// Tokens may start with "-" (silence first): `--input "- - 2"` is a value, not an option.
    @Test func inputTokensMayStartWithSilence() throws {
        for input in ["- - 2", "-", "-,1", "! "] {
            let command = try #require(try IVRC.parseAsRoot(["simulate", "flow.yaml", "--input", input, "--json"]) as? Simulate)
            #expect(command.input == input)
            #expect(command.json)
        }
    }

    static func usageError() -> any Error {
        do {
            _ = try IVRC.parseAsRoot(["check", "--color", "sometimes"])
            return CancellationError()
        } catch {
            return error
        }
    }
}

@Suite struct HelpTests {
    @Test func checkHelpIsGolden() {
        #expect(IVRC.helpMessage(for: Check.self, columns: 80) == """
            OVERVIEW: Parse and check IVR flows; print diagnostics.

            PATH is a flow file or a folder, searched recursively for *.yaml and *.yml
            (*.test.yaml files are tests, ivr-project.yaml is the manifest). With no PATH,
            the current folder is checked.

            Exit status: 0 no errors (warnings allowed unless --strict), 1 errors, 2 a path
            is missing or unreadable, 64 a malformed command line.

            Examples:
              ivrc check
              ivrc check flows/main.yaml
              ivrc check --strict --format github .

            USAGE: ivrc check [<paths> ...] [--format <format>] [--strict] [--color <color>]

            ARGUMENTS:
              <paths>                 Flow files or folders (default: the current folder).

            OPTIONS:
              --format <format>       How to print diagnostics: for people, as JSON, as
                                      SARIF 2.1.0, or as GitHub Actions annotations.
                                      (values: human, json, sarif, github; default: human)
              --strict                Treat warnings as errors.
              --color <color>         When to colour human output (auto: on a terminal,
                                      unless NO_COLOR is set). (values: auto, always,
                                      never; default: auto)
              --version               Show the version.
              -h, --help              Show help information.

            """)
    }

    @Test func rootHelpListsCheck() {
        let help = IVRC.helpMessage(columns: 80)
        #expect(help.contains("USAGE: ivrc <subcommand>"))
        #expect(help.contains("  check                   Parse and check IVR flows; print diagnostics."))
    }
}
