import Foundation
import IVRBytecode

/// What `simulate` and `run` are told about a call besides the caller's
/// keys, from the options both take: `--caller`, `--at`, `--webhook
/// PREFIX=JSON` (repeatable) and `--transfer VALUE=RESULT` (repeatable).
public struct CallScript: Sendable {
    public var caller: String
    /// The call's clock when it starts (what `open()` reads); nil: the real clock.
    public var start: Date?
    /// Canned webhook answers (`CannedWebhooks`).
    public var webhooks: [(prefix: String, response: WebhookResponse)] = []
    public var transfers = TransferScript()

    /// The options as given on the command line.
    public struct Options: Sendable {
        public var caller = "+15555550100"
        /// ISO 8601 (`2026-11-23T10:00:00-05:00`).
        public var at: String?
        /// `PREFIX=JSON` or `PREFIX=@file.json` each.
        public var webhooks: [String] = []
        /// `VALUE=RESULT` each.
        public var transfers: [String] = []
        public init(caller: String = "+15555550100", at: String? = nil, webhooks: [String] = [], transfers: [String] = []) {
            self.caller = caller
            self.at = at
            self.webhooks = webhooks
            self.transfers = transfers
        }
    }

    /// Reads the options; the first bad value is the error.
    public static func parse(_ o: Options, currentDirectory: String) -> Result<CallScript, CallScriptError> {
        var script = CallScript(caller: o.caller)
        if let at = o.at {
            guard let date = CallTime.parse(at) else { return .failure(.invalidTime(at)) }
            script.start = date
        }
        for spec in o.webhooks {
            switch CannedWebhooks.parse(spec, currentDirectory: currentDirectory) {
            case .success(let canned): script.webhooks.append(canned)
            case .failure(let f): return .failure(f)
            }
        }
        switch TransferScript.parse(o.transfers) {
        case .success(let t): script.transfers = t
        case .failure(let f): return .failure(f)
        }
        return .success(script)
    }
}
