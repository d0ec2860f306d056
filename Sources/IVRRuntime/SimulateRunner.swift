import Foundation
import IVRBytecode

/// `ivrc simulate`, as a function of its options: one scripted call against
/// sources or a bundle (sources are compiled and loaded through the verifier
/// first, so both give identical results).
public enum SimulateRunner {
    /// The command's options.
    public struct Options: Sendable {
        public var paths: [String]
        public var flow: String?
        public var input: String = ""
        public var caller: String = "+15555550100"
        /// ISO 8601 (`2026-11-23T10:00:00-05:00`); default: the real clock.
        public var at: String?
        public var json = false
        /// `PREFIX=JSON` or `PREFIX=@file.json`: a canned 200 answer.
        public var webhooks: [String] = []
        /// `VALUE=RESULT`: how a transfer to that destination value goes.
        public var transfers: [String] = []
        public var live = false
        /// With `live`: who performs webhooks and receives the call record
        /// (default: plain URLSession webhooks, no events).
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
        switch loadBundle(paths: o.paths, currentDirectory: o.currentDirectory) {
        case .success(let b): bundle = b
        case .failure(let f): return (f.message + "\n", f.exitCode)
        }
        let flow: Int
        switch pickFlow(bundle, o.flow) {
        case .success(let f): flow = f
        case .failure(let f): return (f.message + "\n", f.exitCode)
        }
        let tokens: [InputToken]
        switch InputToken.parse(o.input) {
        case .success(let t): tokens = t
        case .failure(let e): return ("error: \(e)\n", 64)
        }
        let script: CallScript
        switch CallScript.parse(.init(caller: o.caller, at: o.at, webhooks: o.webhooks, transfers: o.transfers),
                                currentDirectory: o.currentDirectory) {
        case .success(let s): script = s
        case .failure(let f): return (f.message + "\n", f.exitCode)
        }
        let backend = ScriptedBackend(tokens: tokens, at: script.start ?? Date(), webhooks: script.webhooks)
        backend.transfers = script.transfers
        if o.live {
            if let services = o.liveServices {
                backend.live = { try await services.webhook($0) }
            } else {
                backend.live = LiveHTTP.perform
            }
        }
        let id = UUID().uuidString.lowercased()
        let observer = o.live ? o.liveServices?.inputObserver(callID: id, flow: bundle.flowName(flow), caller: o.caller,
                                                              called: nil) : nil
        let record = await CallDriver.run(bundle, flow: flow, backend: backend, caller: o.caller, trace: o.trace,
                                          onInput: observer)
        let callRecord = record.record(id: id, backend: "simulate")
        if let path = o.records {
            let target = BuildPipeline.absolute(path, cwd: o.currentDirectory)
            guard append(callRecord.jsonLine() + "\n", to: target) else { return ("error: cannot write \(path)\n", 2) }
        }
        if o.live, let services = o.liveServices {
            await services.callEnded(callRecord, inputsPosted: observer != nil)
            await services.finish()
        }
        let trace = record.trace.map { "trace " + $0 + "\n" }.joined()
        return (trace + (o.json ? record.json.serialized + "\n" : Transcript.render(record)), 0)
    }

    /// One bundle (`.ivrb`, or any file that starts with the bundle's magic
    /// number); anything else is sources to build.
    public static func loadBundle(paths: [String], currentDirectory: String) -> Result<VerifiedBundle, BuildPipeline.Failure> {
        let bundles = paths.filter { BundleFormat.isBundle(path: $0, currentDirectory: currentDirectory) }
        if paths.count > 1, let bundle = bundles.first {
            return .failure(.init(message: "error: \(bundle) is a bundle: give one .ivrb, or flow sources, not both", exitCode: 64))
        }
        if paths.count == 1, bundles.count == 1 {
            let abs = BuildPipeline.absolute(paths[0], cwd: currentDirectory)
            guard let data = FileManager.default.contents(atPath: abs) else {
                return .failure(.init(message: "error: cannot read \(paths[0])", exitCode: 2))
            }
            do {
                return .success(try Bundle.load([UInt8](data)))
            } catch {
                return .failure(.init(message: "error: \(paths[0]): \(error)", exitCode: 2))
            }
        }
        return BuildPipeline.build(paths: paths, currentDirectory: currentDirectory).map(\.bundle)
    }

    /// `--flow` by name or extension; without it, the only flow.
    public static func pickFlow(_ bundle: VerifiedBundle, _ name: String?) -> Result<Int, BuildPipeline.Failure> {
        if let name {
            guard let i = bundle.flowIndex(name) else {
                return .failure(.init(message: "error: no flow named '\(name)'; flows: \(bundle.flowNames.joined(separator: ", "))", exitCode: 64))
            }
            return .success(i)
        }
        guard bundle.flows.count == 1 else {
            return .failure(.init(message: "error: several flows; pick one with --flow: \(bundle.flowNames.joined(separator: ", "))", exitCode: 64))
        }
        return .success(0)
    }

    /// ISO 8601 with a zone offset, or a date and time taken as UTC.
    public static func parseTime(_ text: String) -> Date? {
        let f = ISO8601DateFormatter()
        if let d = f.date(from: text) { return d }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: text) { return d }
        f.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withDashSeparatorInDate]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.date(from: text)
    }

    /// Appends in one `O_APPEND` write (several processes may share the file).
    static func append(_ line: String, to path: String) -> Bool {
        CallRecordLog.append(line: line, to: path)
    }
}
