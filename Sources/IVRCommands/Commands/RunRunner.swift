import Foundation
import IVRBytecode
import IVRLive
import IVRReport
import IVRRuntime
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `ivrc run`, as a function of its options: one live call in the terminal
/// (`TerminalBackend`) with real webhooks and events (`LiveServices`); the
/// call record goes to `--records` when given.
public enum RunRunner {
    /// The command's options.
    public struct Options: Sendable {
        public var paths: [String]
        public var flow: String?
        public var caller = "+15555550100"
        /// ISO 8601: the call's clock starts there (what `open()` reads).
        public var at: String?
        /// `PREFIX=JSON` or `PREFIX=@file.json`: canned answers (other webhooks are real HTTP).
        public var webhooks: [String] = []
        /// `VALUE=RESULT`: how a transfer to that destination value goes.
        public var transfers: [String] = []
        public var records: String?
        /// nil: speak when espeak-ng and an audio device exist.
        public var speech: Bool?
        public var currentDirectory = FileManager.default.currentDirectoryPath
        public init(paths: [String]) { self.paths = paths }
    }

    /// Runs the call; returns the exit code (0, or the load error's code).
    public static func run(_ o: Options) async -> Int32 {
        let out = TerminalBackend.standardOutput
        let bundle: VerifiedBundle
        let flow: Int
        switch BundleSource.load(paths: o.paths, currentDirectory: o.currentDirectory)
            .flatMap({ b in BundleSource.pickFlow(b, o.flow).map { (b, $0) } }) {
        case .success(let (b, f)): (bundle, flow) = (b, f)
        case .failure(let e): return fail(CommandFailure(e))
        }
        let script: CallScript
        switch CallScript.parse(.init(caller: o.caller, at: o.at, webhooks: o.webhooks, transfers: o.transfers),
                                currentDirectory: o.currentDirectory) {
        case .success(let s): script = s
        case .failure(let e): return fail(CommandFailure(e))
        }
        let records = o.records.map { $0.hasPrefix("/") ? $0 : o.currentDirectory + "/" + $0 }
        let services = LiveServices(records: records, events: EventsDirectory(paths: o.paths, currentDirectory: o.currentDirectory))
        let speaker = o.speech == false ? Speaker.silent : Speaker.detect()
        let name = bundle.flowName(flow)
        let number = bundle.flows[flow].extensionNumber.map { bundle.strings[$0] }

        let terminal = RawTerminal()
        defer { terminal.restore() }
        let keys = KeyInput(fd: STDIN_FILENO)
        let signals = hangUpOnSignals(keys)
        defer { signals.forEach { $0.cancel() } }

        out("Calling \(name)" + (number.map { " (extension \($0))" } ?? "") + " from \(o.caller)" + (o.at.map { " at \($0)" } ?? "") + "."
            + " Keys 0-9 * # are DTMF; Ctrl-C hangs up." + (speaker.program == nil ? "" : " Prompts are spoken.") + "\n")
        let callID = UUID().uuidString.lowercased()
        let observer = services.inputObserver(callID: callID, flow: name, caller: o.caller, called: number)
        let call = Task {
            let canned = script.webhooks
            let backend = TerminalBackend(keys: keys, speaker: speaker, webhooks: { request in
                if let answer = CannedWebhooks.answer(for: request, in: canned) { return answer }
                return try await services.webhook(request)
            }, echoKeys: isatty(STDOUT_FILENO) == 1, at: script.start)
            backend.transfers = script.transfers
            return await CallDriver.run(bundle, flow: flow, backend: backend, caller: o.caller, called: number,
                                        onInput: observer)
        }
        // A hang-up also cancels what no key can interrupt (a webhook in flight).
        let watcher = Task {
            while !keys.hasHungUp, !Task.isCancelled { try? await Task.sleep(for: .milliseconds(20)) }
            if keys.hasHungUp { call.cancel() }
        }
        let report = await call.value
        watcher.cancel()
        let record = report.record(id: callID, backend: "terminal", to: number ?? name)
        await services.callEnded(record, inputsPosted: observer != nil)
        out("Call ended: " + describe(record) + "\n")
        if let path = o.records { out("Call record appended to \(path)\n") }
        if services.events.stats.pending > 0 { out("Delivering events (at most 5s)...\n") }
        let stats = await services.shutdown(timeout: 5000)
        if stats.failed + stats.dropped > 0 {
            out("\(stats.failed + stats.dropped) event(s) could not be delivered\n")
        }
        return CommandOutput.Code.success
    }

    /// The message on standard error; its exit code.
    static func fail(_ f: CommandFailure) -> Int32 {
        FileHandle.standardError.write(Data((f.message + "\n").utf8))
        return f.exitCode
    }

    /// `transfer to extension 2100 after 12.3s`, `caller-hangup at main-menu after 4.0s`.
    static func describe(_ r: CallRecord) -> String {
        let time = ReportTextFormatter.duration(r.durationMs)
        switch r.outcome {
        case "transfer":
            return (r.bridge == nil ? "transfer" : "bridge") + " to \(r.destination?.kind ?? "?") \(r.destination?.value ?? "?") after \(time)"
        case "caller-hangup": return "caller-hangup" + (r.path.last.map { " at \($0)" } ?? "") + " after \(time)"
        case "error": return "error (\(r.error ?? "unknown")) after \(time)"
        default: return "\(r.outcome) after \(time)"
        }
    }

    /// SIGINT, SIGTERM and SIGHUP end the call as a caller hang-up (the
    /// record is still written) instead of killing the process.
    static func hangUpOnSignals(_ keys: KeyInput) -> [any DispatchSourceSignal] {
        [SIGINT, SIGTERM, SIGHUP].map { sig in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { keys.hangUp() }
            source.resume()
            return source
        }
    }
}
