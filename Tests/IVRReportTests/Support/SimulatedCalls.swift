import Foundation
import IVRBytecode
import IVRRuntime
import IVRTestSupport

/// Real calls for report tests: the example flows run by the interpreter
/// against a seeded random caller.
enum SimulatedCalls {
    static func bundles() throws -> [VerifiedBundle] {
        try ["first-national-bank", "dental-front-desk"].map { example in
            try FlowBuild.build(paths: ["examples/" + example], currentDirectory: TestTools.repositoryRoot).get().bundle
        }
    }

    /// One call with random keys, a random start in a week, a random webhook
    /// answer (gold, basic or none) and sometimes busy transfers.
    static func call(_ i: Int, bundles: [VerifiedBundle], rng: inout SeededGenerator) async throws -> CallReport {
        let keys = ["1", "2", "3", "0", "*", "#", "9", "-", "!", "12345678#", "123#", "1234567890", "2", "1"]
        let tokens = (0..<Int.random(in: 0...6, using: &rng)).map { _ in keys.randomElement(using: &rng) ?? "-" }
        let base = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18 (a Wednesday)
        let start = base.addingTimeInterval(Double(Int.random(in: 0..<7 * 86_400, using: &rng)))
        var canned: [(prefix: String, response: WebhookResponse)] = []
        switch Int.random(in: 0..<3, using: &rng) {
        case 0: canned = [("https://", WebhookResponse(status: 200, body: Array(#"{"tier":"gold"}"#.utf8)))]
        case 1: canned = [("https://", WebhookResponse(status: 200, body: Array(#"{"tier":"basic"}"#.utf8)))]
        default: break  // no answer: on-error
        }
        let backend = ScriptedBackend(tokens: try InputToken.parse(tokens.joined(separator: " ")).get(), at: start, webhooks: canned)
        if Int.random(in: 0..<4, using: &rng) == 0 { backend.failingTransfers = ["2100", "customer-service"] }
        return await CallDriver.run(bundles[i % 3 == 0 ? 1 : 0], flow: 0, backend: backend, caller: "+1555000\(i)")
    }
}
