import ArgumentParser
import Foundation
import IVRRuntime
import IVRSIP

/// `ivrc call BUNDLE|PATH --to SIP-URI --flow NAME`: an outbound call that runs a flow when answered.
public struct Call: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "call",
        abstract: "Place a SIP call and run a flow when it is answered.",
        discussion: """
            Sends an INVITE (PCMU, PCMA, telephone-event) from --listen to --to; on 200 OK \
            it ACKs and runs the flow against the callee (prompts as RTP, keys from RFC 4733 \
            or SIP INFO). Exits when the call ends, with its call record on standard output \
            (or appended to --records). Exit 1 when the call is refused or unanswered (a \
            callee that rings for 32 s is sent CANCEL). SIGINT or SIGTERM ends the call: \
            CANCEL while it rings (a call that has not rung yet is cancelled when it does; a \
            second signal gives it up at once), BYE once answered, and the record is written. The INVITE \
            goes through --proxy when given, else through the manifest's sip.outbound-proxy. \
            When a flow reads answered_by, the flow starts after the callee's first seconds \
            told a person from an answering machine (docs/answering-machines.md), and the \
            record carries answeredBy.

            Examples:
              ivrc call acme.ivrb --to sip:1001@192.0.2.20:5060 --flow survey --listen 0.0.0.0:5070
              ivrc call . --to sip:+15550100@trunk.acme.example --flow survey --proxy "sip:sbc.acme.example;lr"
            """)

    @Argument(help: "One .ivrb bundle, or flow sources (a file or folder).")
    public var path: String

    @Option(help: "The callee's SIP URI (sip:user@host[:port]).")
    public var to: String

    @Option(help: "The flow to run, by name or extension.")
    public var flow: String

    @Option(help: "The caller's user part in From.")
    public var from: String = "ivrc"

    @Option(help: "Append the call record to this JSON-lines file (default: standard output).")
    public var records: String?

    @OptionGroup public var sip: SIPOptions

    public init() {}

    public func validate() throws {
        guard SIPURI(to) != nil else { throw ValidationError("--to takes a SIP URI like sip:1001@192.0.2.20:5060") }
        try sip.validateAll(defaultListener: SIPOptions.callDefault)
    }

    public func run() async throws {
        let setup: SIPSetup
        switch SIPSetup.load(path: path, options: sip) {
        case .success(let s): setup = s
        case .failure(let f): return try f.output.emit()
        }
        guard let flowIndex = setup.bundle.flowIndex(flow) else {
            await setup.http.shutdown()
            return try CommandFailure(BundleSourceError.noFlowNamed(flow, flows: setup.bundle.flowNames)).output.emit()
        }
        let listeners = try sip.listeners(default: SIPOptions.callDefault)
        var config = SIPConfiguration(host: listeners[0].host, port: listeners[0].port, advertisedHost: sip.advertise,
                                      rtpPorts: try sip.portRange(), maxCalls: 1, recordingsFolder: sip.recordings,
                                      referTarget: setup.referTarget)
        sip.applyTransports(listeners, to: &config)
        config.t1 = sip.t1
        config.srtp = try sip.srtpPolicy()
        config.outboundProxy = setup.outboundProxy
        config.dnsServer = try sip.dnsServerAddress()
        setup.trunk.apply(to: &config)
        // Registrations are serve's: a call on a passing port must not take
        // over the binding that delivers the project's calls.
        config.registrations = []
        let server = IVRServer(bundle: setup.bundle, bytes: setup.bytes, server: sip.serverName, services: setup.services,
                               records: records.map { CallRecordLog(path: $0) })
        do {
            try await server.start(configuration: config)
        } catch {
            await setup.http.shutdown()
            return try CommandOutput(stderr: "error: cannot listen on \(listeners.map(\.description).joined(separator: ", ")): \(error)\n", exitCode: CommandOutput.Code.ioError).emit()
        }
        // SIGINT / SIGTERM end the call cleanly: CANCEL while it rings, BYE
        // once answered; the call record is still written.
        let signals = SignalWatcher()
        let watcher = Task {
            for await _ in signals.stream {
                server.notice("signal: ending the call")
                server.endpoint.hangUpAll()
            }
        }
        defer {
            signals.continuation.finish()
            watcher.cancel()
        }
        do {
            if setup.bundle.readsAnsweredBy {
                _ = try await server.endpoint.placeCallListeningFirst(to: to, flow: flowIndex, fromUser: from)
            } else {
                _ = try await server.endpoint.placeCall(to: to, flow: flowIndex, fromUser: from)
            }
        } catch {
            await server.drain()
            await server.shutdown()
            await setup.http.shutdown()
            return try CommandOutput(stderr: "error: \(error)\n", exitCode: CommandOutput.Code.failure).emit()
        }
        await server.drain()
        await server.shutdown()
        await setup.http.shutdown()
    }
}
