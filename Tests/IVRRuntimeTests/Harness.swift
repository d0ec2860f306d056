import Foundation
import IVRBytecode
import IVRSyntax
@testable import IVRRuntime

/// Compiles flow YAML in memory (through the writer and the verifier, as a
/// bundle would be) and runs calls against the scripted caller.
enum Harness {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func bundle(_ sources: String...) throws -> VerifiedBundle {
        var flows: [Flow] = []
        for (i, source) in sources.enumerated() {
            let parsed = FlowParser.parseFlow(Array(source.utf8), file: "flow\(i).yaml")
            let errors = parsed.diagnostics.filter { $0.severity == .error }
            guard let flow = parsed.flow, errors.isEmpty else {
                throw Failure(description: errors.map { "\($0.range.start): \($0.message)" }.joined(separator: "\n"))
            }
            flows.append(flow)
        }
        return try Bundle.load(BundleWriter.write(CodeGenerator.compile(flows)))
    }

    static func call(_ bundle: VerifiedBundle, flow: String? = nil, input: String = "", caller: String = "+15550100",
                     at: Date = Date(timeIntervalSince1970: 1_800_000_000),
                     webhooks: [(String, Int, String)] = [], failing: Set<String> = []) async throws -> CallReport {
        let tokens = try InputToken.parse(input).get()
        let backend = ScriptedBackend(tokens: tokens, at: at,
                                      webhooks: webhooks.map { ($0.0, WebhookResponse(status: $0.1, body: Array($0.2.utf8))) })
        backend.failingTransfers = failing
        guard let index = bundle.flowIndex(flow ?? bundle.flowName(0)) else { throw Failure(description: "no flow \(flow ?? "")") }
        let report = await CallDriver.run(bundle, flow: index, backend: backend, caller: caller)
        // `ivrc test`'s driver must make the same call (ScriptedCallDriverTests).
        let again = ScriptedBackend(tokens: tokens, at: at, webhooks: backend.webhooks)
        again.failingTransfers = failing
        let synchronous = ScriptedCallDriver.run(bundle, flow: index, backend: again, caller: caller)
        guard ScriptedCallDriverTests.same(report, synchronous) else {
            throw Failure(description: "ScriptedCallDriver made another call: \(synchronous.json) against \(report.json)")
        }
        return report
    }

    static func run(_ source: String, input: String = "", webhooks: [(String, Int, String)] = [],
                    failing: Set<String> = [], at: Date = Date(timeIntervalSince1970: 1_800_000_000)) async throws -> CallReport {
        try await call(try bundle(source), input: input, at: at, webhooks: webhooks, failing: failing)
    }
}

extension CallReport {
    /// Compact event list: "say:Hello", "input:1", "timeout", ...
    var trace: [String] {
        events.map { e in
            switch e.kind {
            case .play(let file, _): "play:\(file)"
            case .say(let text): "say:\(text)"
            case .input(let d, _): "input:\(d)"
            case .timeout: "timeout"
            case .invalid(let d): "invalid:\(d)"
            case .webhook(let url, let status, _): "webhook:\(url):\(status.map(String.init) ?? "none")"
            case .transfer(let kind, let value, nil): "transfer:\(kind):\(value)"
            case .transfer(let kind, let value, _?): "bridge:\(kind):\(value)"
            case .transferFailed(let kind, let value, _, _): "transfer-failed:\(kind):\(value)"
            case .record(let f): "record:\(f)"
            case .waited(let kind, let heard): "wait:\(kind):\(heard)"
            case .hangup: "hangup"
            case .callerHangup: "caller-hangup"
            case .error(let m): "error:\(m)"
            }
        }
    }

    var variableMap: [String: String] { Dictionary(variables.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 }) }
}
