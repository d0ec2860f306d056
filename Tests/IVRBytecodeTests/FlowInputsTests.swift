import Foundation
import IVRRuntime
import IVRSyntax
import Testing
@testable import IVRBytecode

/// A flow's `inputs` (flow-language.md 2 and 5.2): parsed with exact
/// diagnostics, set on entry (so never E209), carried in the bundle as
/// variable flag 2 (format 3.3), filled from a campaign's contact or with
/// empty strings; `answered_by` is `unknown` unless the call knows better.
/// Bundles of flows without inputs keep their 3.2 bytes.
@Suite struct FlowInputsTests {
    static let reminder = """
        ivr: reminder
        inputs: [first_name, appointment]
        nodes:
          hello:
            - say: "Hello ${first_name}, see you on ${appointment}. ${answered_by}."
            - hangup

        """

    static func build(_ flow: String) throws -> FlowBuild {
        let root = try SampleProject.write(files: ["flows/reminder.yaml": flow])
        return try FlowBuild.build(paths: [root], currentDirectory: "/").get()
    }

    /// The first `say` of a call with these presets.
    static func firstSay(_ bundle: VerifiedBundle, _ presets: CallPresets) -> String? {
        var vm = CallVM(bundle: bundle, flow: 0, caller: "+15550100", now: Date(), presets: presets)
        for _ in 0..<20 {
            if case .say(let text, _, _) = vm.run() { return text }
        }
        return nil
    }

    @Test func inputsAreSetOnEntryAndCarriedAsFlagTwo() throws {
        let built = try Self.build(Self.reminder)
        #expect(built.bytes[11] == BundleFormat.inputsMinorVersion, "a bundle with inputs is format 3.3")
        let loaded = try Bundle.load(built.bytes)
        let variables = loaded.flows[0].variables
        #expect(variables.filter(\.input).map { loaded.strings[$0.name] } == ["first_name", "appointment"])
        #expect(variables[BuiltinVariable.allCases.count].input, "inputs follow the built-ins")
        let contact = CallPresets(inputs: ["first_name": "Ann", "appointment": "Monday", "other": "x"], answeredBy: .human)
        #expect(Self.firstSay(loaded, contact) == "Hello Ann, see you on Monday. human.")
        #expect(Self.firstSay(loaded, CallPresets()) == "Hello , see you on . unknown.", "inbound: empty inputs, answered_by unknown")
    }

    @Test func flowsWithoutInputsKeepTheirBytes() throws {
        let plain = try FlowBuild.build(paths: [try SampleProject.write()], currentDirectory: "/").get()
        #expect(plain.bytes[11] == BundleFormat.minorVersion, "still written as 3.2")
        #expect(try Bundle.load(plain.bytes).flows.allSatisfy { !$0.variables.contains(where: \.input) })
    }

    @Test func aVariableNotListedInInputsIsStillE209() throws {
        let flow = Self.reminder.replacingOccurrences(of: "inputs: [first_name, appointment]", with: "inputs: [first_name]")
        let root = try SampleProject.write(files: ["flows/reminder.yaml": flow])
        guard case .failure(let error) = FlowBuild.build(paths: [root], currentDirectory: "/"),
              case .refused(let diagnostics, _) = error else {
            Issue.record("built a flow that reads an unset variable")
            return
        }
        #expect(diagnostics.map(\.code) == [.E209])
        #expect(diagnostics.first?.message == "variable 'appointment' is never set in this flow")
    }

    static func diagnostics(_ inputs: String) -> [String] {
        let text = "ivr: reminder\ninputs: \(inputs)\nnodes:\n  hello: hangup\n"
        return FlowParser.parseFlow(Array(text.utf8), file: "f.yaml").diagnostics.map {
            "\($0.code.rawValue)@\($0.range.start.line):\($0.range.start.column) \($0.message)"
        }
    }

    @Test func badInputsHaveExactDiagnostics() {
        #expect(Self.diagnostics("[first_name, first_name]")
                == ["E006@2:22 input 'first_name' is listed twice in 'inputs' (first at line 2)"])
        #expect(Self.diagnostics("[caller]") == ["E006@2:10 'caller' is a read-only built-in variable"])
        #expect(Self.diagnostics("[answered_by]") == ["E006@2:10 'answered_by' is a read-only built-in variable"])
        #expect(Self.diagnostics("[voice]") == ["E006@2:10 'voice' is a built-in variable; only 'set' may change it"])
        #expect(Self.diagnostics("[first-name]") == ["E006@2:10 'first-name' is not a valid variable name"])
        #expect(Self.diagnostics("first_name") == ["E005@2:9 'inputs' must be a list of variable names, found a string"])
        #expect(Self.diagnostics("{a: b}") == ["E005@2:9 'inputs' must be a list of variable names, found a mapping"])
        #expect(Self.diagnostics("[first_name, appointment]") == [])
    }

    @Test func answeredByCannotBeSet() {
        let text = "ivr: x\nnodes:\n  a:\n    - set: {answered_by: human}\n    - hangup\n"
        let messages = FlowParser.parseFlow(Array(text.utf8), file: "f.yaml").diagnostics.map(\.message)
        #expect(messages == ["'answered_by' is a read-only built-in variable"])
    }
}
