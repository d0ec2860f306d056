#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Foundation
import IVRBytecode
import IVRCampaign
import IVRRuntime
import IVRSIP
import IVRSyntax

/// `ivrc campaign PATH --flow NAME --contacts FILE.csv --journal FILE`:
/// outbound outreach over SIP, paced, retried and journaled (toolchain.md "Campaigns").
public struct Campaign: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "campaign",
        abstract: "Call a list of contacts and run a flow on each answered call: paced, retried, resumable.",
        discussion: """
            Dials every valid row of --contacts (a CSV with a header and an E.164 `number` column; the \
            other columns are the flow's `inputs`) at sip:NUMBER@TRUNK, at most --rate calls a second and \
            --max-concurrent at once. Busy, no-answer and failed calls are retried after --retry-after, \
            until --attempts dials; answered, declined (603), invalid rows, --do-not-call numbers and \
            contacts whose --window never opens are final at once. Every state change is synced to the \
            --journal (JSON lines) before it matters: rerun the same command to resume after a stop or \
            a crash; no contact is dialled more than --attempts times. A second campaign on the same \
            journal is refused. SIGINT or SIGTERM stops dialling; calls in progress finish (a second \
            signal hangs them up). Exit 0 when every contact reached a final state, 1 when some did \
            not (resume later) or the input has errors, 2 for I/O problems (unreadable files, a locked journal).

            Example:
              ivrc campaign reminders/ --flow reminder --contacts contacts.csv --journal reminder.journal \\
                --trunk sbc.example.net:5060 --rate 2/s --max-concurrent 20 --retry-after 15m --window calling
            """)

    @Argument(help: "One .ivrb bundle, or flow sources (a file or folder).")
    public var path: String

    @Option(help: "The flow to run on each answered call, by name or extension.")
    public var flow: String

    @Option(help: ArgumentHelp("The contacts: CSV with a header row and a `number` column (E.164).", valueName: "file.csv"))
    public var contacts: String

    @Option(help: ArgumentHelp("The campaign's journal (JSON lines; created, appended, and read again to resume).", valueName: "file"))
    public var journal: String

    @Option(help: ArgumentHelp("Calls started per second at most: N/s (or N/m).", valueName: "N/s"))
    public var rate: String = "1/s"

    @Option(help: ArgumentHelp("Calls in progress at most.", valueName: "N"))
    public var maxConcurrent: Int = 10

    @Option(help: ArgumentHelp("Dials per contact at most.", valueName: "N"))
    public var attempts: Int = 3

    @Option(help: ArgumentHelp("Wait before calling again after busy, no-answer or failed.", valueName: "duration"))
    public var retryAfter: String = "10m"

    @Option(help: ArgumentHelp("Call only while this schedule of the flow's hours is open, in each contact's timezone column.",
                               valueName: "schedule"))
    public var window: String?

    @Option(help: ArgumentHelp("Numbers never to call, one per line.", valueName: "file"))
    public var doNotCall: String?

    @Option(help: "Append each call's record to this JSON-lines file (default: no records).")
    public var records: String?

    @Option(help: ArgumentHelp("How long a callee may ring before CANCEL.", valueName: "duration"))
    public var ringTimeout: String = "30s"

    @Option(help: "Progress: auto (a live line on a terminal), json (JSON lines on standard output) or none.")
    public var progress: String = "auto"

    @Option(help: "The caller's user part in From.")
    public var from: String = "ivrc"

    @OptionGroup public var sip: SIPOptions

    public init() {}

    public func validate() throws {
        guard CallRate(parsing: rate) != nil else { throw ValidationError("--rate takes N/s or N/m with N > 0, like 2/s or 0.5/s, not '\(rate)'") }
        guard maxConcurrent >= 1 else { throw ValidationError("--max-concurrent must be at least 1") }
        guard attempts >= 1 else { throw ValidationError("--attempts must be at least 1") }
        guard IVRSyntax.Duration(parsing: retryAfter) != nil else { throw ValidationError("--retry-after takes a duration like 10m, 30s or 1h, not '\(retryAfter)'") }
        guard let ring = IVRSyntax.Duration(parsing: ringTimeout), ring.milliseconds > 0 else {
            throw ValidationError("--ring-timeout takes a duration like 30s, not '\(ringTimeout)'")
        }
        guard CampaignProgressFormat(rawValue: progress) != nil else { throw ValidationError("--progress takes auto, json or none, not '\(progress)'") }
        try sip.validateAll(defaultListener: SIPOptions.callDefault)
    }

    public func run() async throws {
        let setup: SIPSetup
        switch SIPSetup.load(path: path, options: sip) {
        case .success(let s): setup = s
        case .failure(let f): return try f.output.emit()
        }
        do {
            let output = try await run(setup)
            await setup.http.shutdown()
            try output.emit()
        } catch {
            await setup.http.shutdown()
            throw error
        }
    }

    /// The campaign once the flows are loaded; its output is emitted by `run()`.
    func run(_ setup: SIPSetup) async throws -> CommandOutput {
        let bundle = setup.bundle
        guard let flowIndex = bundle.flowIndex(flow) else {
            return CommandFailure(BundleSourceError.noFlowNamed(flow, flows: bundle.flowNames)).output
        }
        let flowName = bundle.flowName(flowIndex)
        let inputs = bundle.flows[flowIndex].variables.filter(\.input).map { bundle.strings[$0.name] }
        let list: ContactList
        switch ContactList.read(file: contacts) {
        case .success(let l): list = l
        case .failure(let f): return Self.failure(f)
        }
        if let missing = list.check(inputs: inputs, flow: flowName) { return Self.failure(missing) }
        var doNotCallList = DoNotCallList()
        if let doNotCall {
            switch DoNotCallList.read(file: doNotCall) {
            case .success(let l): doNotCallList = l
            case .failure(let f): return Self.failure(f)
            }
        }
        var campaignWindow: CampaignWindow?
        if let window {
            guard let w = CampaignWindow(name: window, flow: flowIndex, bundle: bundle) else {
                let names = CampaignWindow.names(flow: flowIndex, bundle: bundle)
                return CommandOutput(stderr: "error: --window '\(window)': flow '\(flowName)' has no such schedule in its hours"
                                         + (names.isEmpty ? " (it has none)" : " (it has: \(names.joined(separator: ", ")))") + "\n",
                                     exitCode: CommandOutput.Code.failure)
            }
            campaignWindow = w
        }
        guard let trunk = sip.trunk ?? setup.referTarget.trunk, !trunk.isEmpty else {
            return CommandOutput(stderr: "error: no trunk to call the contacts through: give --trunk HOST[:PORT] or set sip.trunk in ivr-project.yaml\n",
                                 exitCode: CommandOutput.Code.failure)
        }
        let journalFile: CampaignJournal
        switch CampaignJournal.open(file: journal) {
        case .success(let j): journalFile = j
        case .failure(let f): return CommandOutput(stderr: "error: \(f)\n", exitCode: CommandOutput.Code.ioError)
        }
        defer { journalFile.close() }

        var settings = CampaignSettings()
        settings.rate = CallRate(parsing: rate) ?? settings.rate
        settings.maxConcurrent = maxConcurrent
        settings.attempts = attempts
        settings.retryAfter = Double(IVRSyntax.Duration(parsing: retryAfter)?.milliseconds ?? 600_000) / 1000

        let listeners = try sip.listeners(default: SIPOptions.callDefault)
        var config = SIPConfiguration(host: listeners[0].host, port: listeners[0].port, advertisedHost: sip.advertise,
                                      rtpPorts: try sip.portRange(), maxCalls: maxConcurrent + 16, recordingsFolder: sip.recordings,
                                      referTarget: setup.referTarget)
        sip.applyTransports(listeners, to: &config)
        config.t1 = sip.t1
        config.srtp = try sip.srtpPolicy()
        config.outboundProxy = setup.outboundProxy
        config.dnsServer = try sip.dnsServerAddress()
        setup.trunk.apply(to: &config)
        config.registrations = []
        // One line per call would drown the progress line: notices (signals), warnings and errors only.
        var services = setup.services
        services.logger.logLevel = .notice
        let server = IVRServer(bundle: bundle, bytes: setup.bytes, server: sip.serverName, services: services,
                               records: records.map { CallRecordLog(path: $0) }, printRecord: { _ in })
        do {
            try await server.start(configuration: config)
        } catch {
            return CommandOutput(stderr: "error: cannot listen on \(listeners.map(\.description).joined(separator: ", ")): \(error)\n",
                                 exitCode: CommandOutput.Code.ioError)
        }
        let dialer = SIPCampaignDialer(server: server, flow: flowIndex, trunk: trunk, fromUser: from,
                                       ringTime: IVRSyntax.Duration(parsing: ringTimeout)?.milliseconds ?? 30_000,
                                       campaign: (journal as NSString).lastPathComponent)
        let engine = CampaignEngine(contacts: list, journal: journalFile, settings: settings, window: campaignWindow,
                                    doNotCall: doNotCallList, dialer: dialer)
        // SIGINT / SIGTERM: stop dialling, let the calls finish; a second one hangs them up.
        let stop = CampaignStop()
        let signals = SignalWatcher()
        let watcher = Task {
            for await _ in signals.stream {
                if stop.isRequested {
                    server.notice("signal again: hanging up the calls in progress")
                    await dialer.hangUpAll()
                } else {
                    server.notice("signal: no new calls; waiting for the calls in progress (signal again to hang them up)")
                    stop.request()
                }
            }
        }
        defer {
            signals.continuation.finish()
            watcher.cancel()
        }
        let format = CampaignProgressFormat(rawValue: progress) ?? .auto
        let live = format == .auto && isatty(STDERR_FILENO) != 0
        let contactsFile = contacts
        let outcome = await engine.run(stop: stop, report: { row in
            FileHandle.standardError.write(Data("\(contactsFile):\(row.line): invalid row, not dialled: \(row.reason)\n".utf8))
        }, progress: { counts in
            switch format {
            case .json: FileHandle.standardOutput.write(Data((CampaignProgressFormat.json(counts, event: "progress") + "\n").utf8))
            case .auto where live: FileHandle.standardError.write(Data(("\r\u{1B}[K" + CampaignProgressFormat.line(counts)).utf8))
            default: break
            }
        })
        if live { FileHandle.standardError.write(Data("\n".utf8)) }
        await server.drain()
        await server.shutdown()
        if let mismatch = outcome.mismatch {
            return CommandOutput(stderr: "error: \(journal): \(mismatch)\n", exitCode: CommandOutput.Code.failure)
        }
        var output = CommandOutput(exitCode: outcome.complete ? CommandOutput.Code.success : CommandOutput.Code.failure)
        output.stdout = format == .json
            ? CampaignProgressFormat.json(outcome.counts, event: "summary", complete: outcome.complete) + "\n"
            : CampaignProgressFormat.summary(outcome.counts, contactsFile: contacts, complete: outcome.complete)
        if let failure = outcome.journalFailure {
            output.stderr = "error: \(failure); stopped dialling\n"
            output.exitCode = CommandOutput.Code.ioError
        }
        return output
    }

    static func failure(_ f: ContactList.Failure) -> CommandOutput {
        let code: Int32
        switch f {
        case .unreadable: code = CommandOutput.Code.ioError
        case .badHeader, .missingInputs: code = CommandOutput.Code.failure
        }
        return CommandOutput(stderr: "error: \(f)\n", exitCode: code)
    }
}
