import Foundation
import IVRBytecode
import IVRRuntime

/// `ivrc simulate`, as a function of its options: one scripted call against
/// sources or a bundle (sources are compiled and loaded through the verifier
/// first, so both give identical results).
public enum SimulateRunner {
    /// The command's options.
    public struct Options: Sendable {
        public var paths: [String]
        public var flow: String?
        public var input: String = ""
        /// The callee's keys (`--callee-input`), for a bridged transfer's `confirm`.
        public var calleeInput: String = ""
        public var caller: String = "+15555550100"
        /// ISO 8601 (`2026-11-23T10:00:00-05:00`); default: the real clock.
        public var at: String?
        public var json = false
        /// `PREFIX=JSON` or `PREFIX=@file.json`: a canned 200 answer.
        public var webhooks: [String] = []
        /// `VALUE=RESULT`: how a transfer to that destination value goes.
        public var transfers: [String] = []
        public var live = false
        /// With `live` (required then): who performs webhooks and receives the
        /// call record. IVRLive's `LiveServices` (what the command uses) or
        /// IVRURLSession's `URLSessionServices` (URLSession webhooks, no events).
        public var liveServices: (any LiveCallServices)?
        /// Appends the call record as one JSON line.
        public var records: String?
        /// Print every executed instruction before the transcript.
        public var trace = false
        public var currentDirectory: String = FileManager.default.currentDirectoryPath

        public init(paths: [String]) { self.paths = paths }
    }

    public static func run(_ o: Options) async -> (output: String, exitCode: Int32) {
        let bundle: VerifiedBundle
        switch BundleSource.load(paths: o.paths, currentDirectory: o.currentDirectory) {
        case .success(let b): bundle = b
        case .failure(let e): return CommandFailure(e).printed
        }
        let flow: Int
        switch BundleSource.pickFlow(bundle, o.flow) {
        case .success(let f): flow = f
        case .failure(let e): return CommandFailure(e).printed
        }
        let tokens: [InputToken]
        switch InputToken.parse(o.input) {
        case .success(let t): tokens = t
        case .failure(let e): return CommandFailure(e).printed
        }
        let calleeTokens: [InputToken]
        switch InputToken.parse(o.calleeInput, callee: true) {
        case .success(let t): calleeTokens = t
        case .failure(let e): return CommandFailure(e).printed
        }
        let script: CallScript
        switch CallScript.parse(.init(caller: o.caller, at: o.at, webhooks: o.webhooks, transfers: o.transfers),
                                currentDirectory: o.currentDirectory) {
        case .success(let s): script = s
        case .failure(let e): return CommandFailure(e).printed
        }
        let backend = ScriptedBackend(tokens: tokens, at: script.start ?? Date(), webhooks: script.webhooks)
        backend.transfers = script.transfers
        backend.calleeTokens = calleeTokens
        if o.live {
            guard let services = o.liveServices else {
                return ("error: live webhooks need liveServices (IVRLive's LiveServices, or "
                        + "IVRURLSession's URLSessionServices)\n", CommandOutput.Code.usage)
            }
            backend.live = { try await services.webhook($0) }
        }
        let id = UUID().uuidString.lowercased()
        let observer = o.live ? o.liveServices?.inputObserver(callID: id, flow: bundle.flowName(flow), caller: o.caller,
                                                              called: nil) : nil
        let record = await CallDriver.run(bundle, flow: flow, backend: backend, caller: o.caller, trace: o.trace,
                                          onInput: observer)
        let callRecord = record.record(id: id, backend: "simulate")
        if let path = o.records {
            let target = FilePaths.absolute(path, cwd: o.currentDirectory)
            guard append(callRecord.jsonLine() + "\n", to: target) else { return CommandFailure.cannotWrite(path).printed }
        }
        if o.live, let services = o.liveServices {
            await services.callEnded(callRecord, inputsPosted: observer != nil)
            await services.finish()
        }
        let trace = record.trace.map { "trace " + $0 + "\n" }.joined()
        return (trace + (o.json ? record.json.serialized + "\n" : Transcript.render(record)), CommandOutput.Code.success)
    }

    /// Appends in one `O_APPEND` write (several processes may share the file).
    static func append(_ line: String, to path: String) -> Bool {
        CallRecordLog.append(line: line, to: path)
    }
}
