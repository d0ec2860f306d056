import ArgumentParser
import Foundation
import IVRBytecode
import IVRLive
import IVRRuntime
import IVRSIP

/// `ivrc serve BUNDLE|PATH --listen HOST:PORT`: the SIP/RTP media backend.
public struct Serve: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Answer SIP calls and run flows (SIP over UDP, G.711 RTP).",
        discussion: """
            The Request-URI's user part picks the flow by extension, else by name; \
            none matches, or the flow's `servers:` does not name --server: 404. One call \
            record (a JSON line) per call goes to --records, else to standard output; logs go \
            to standard error. SIGTERM or SIGINT: drain (new INVITEs and OPTIONS get 503 with \
            Retry-After: 30), let live calls finish, write their records, exit; a second \
            signal hangs up every call. SIGHUP: reload PATH (build and verify); new calls get \
            the new bundle, live calls finish on theirs; a bundle that fails is refused (logged) \
            and the old one keeps serving. --proxy (or the manifest's sip.outbound-proxy) \
            sends the requests ivrc starts outside a dialog through a SIP proxy. --metrics \
            serves /metrics (Prometheus), /healthz and /readyz (503 while draining) over HTTP.

            Examples:
              ivrc serve acme.ivrb --listen 0.0.0.0:5060 --advertise 192.0.2.10 --records calls.jsonl
              ivrc serve . --listen 127.0.0.1:5080 --rtp-ports 20000-20999 --tts none
              ivrc serve . --listen 0.0.0.0:5060 --proxy "sip:sbc.acme.example;lr"
              ivrc serve acme.ivrb --listen 0.0.0.0:5060 --server node-2 --records calls.jsonl
              ivrc serve acme.ivrb --listen 0.0.0.0:5060 --metrics 127.0.0.1:9464
            """)

    @Argument(help: "One .ivrb bundle, or flow sources (a file or folder).")
    public var path: String

    @OptionGroup public var sip: SIPOptions

    @Option(help: "Append call records to this JSON-lines file (default: standard output).")
    public var records: String?

    @Option(help: "New calls beyond this many live ones get 503.")
    public var maxCalls: Int = 2000

    @Option(help: ArgumentHelp("Refuse new calls (503, Retry-After: 5), and answer OPTIONS 503, while an event loop runs this many milliseconds late, smoothed (0: never).",
                               valueName: "ms"))
    public var overloadLag: Int = 250

    @Option(help: ArgumentHelp("Refuse new calls the same way while more than this share of an event loop's RTP packets goes out over 5 ms late (over half a second, once the loop carries 100 calls; 0: never).",
                               valueName: "percent"))
    public var overloadLate: Double = 5

    @Flag(help: ArgumentHelp("Run SIP signalling on one of the media event loops instead of a thread of its own (the capacity benchmark's baseline).",
                             visibility: .hidden))
    public var sharedSignallingLoop = false

    @Flag(help: "Run the event loops under real-time scheduling (SCHED_RR 10), so media is relayed and paced as soon as it is due; needs root, CAP_SYS_NICE or an RTPRIO limit, otherwise a warning and the ordinary policy.")
    public var realtimeMedia = false

    @Flag(help: "Send 180 Ringing before answering.")
    public var ringing = false

    @Flag(help: "Bridged transfers: send the caller ID in P-Asserted-Identity (RFC 3325) as well as From (for a trunk or PBX that trusts ivrc).")
    public var assertIdentity = false

    @Option(help: ArgumentHelp("Serve /metrics (Prometheus text format), /healthz and /readyz over HTTP on this address (port 0: a free one, logged).",
                               valueName: "host:port"))
    public var metrics: String?

    public init() {}

    public func validate() throws {
        try sip.validateAll(defaultListener: SIPOptions.serveDefault)
        guard maxCalls > 0 else { throw ValidationError("--max-calls must be positive") }
        guard overloadLag >= 0 else { throw ValidationError("--overload-lag takes milliseconds, 0 or more") }
        guard overloadLate >= 0, overloadLate <= 100 else { throw ValidationError("--overload-late takes a percentage, 0 to 100") }
        if let metrics, ServeMetrics.address(metrics) == nil {
            throw ValidationError("--metrics takes HOST:PORT, e.g. 127.0.0.1:9464")
        }
    }

    public func run() async throws {
        let setup: SIPSetup
        switch SIPSetup.load(path: path, options: sip) {
        case .success(let s): setup = s
        case .failure(let f): return try f.output.emit()
        }
        let listeners = try sip.listeners(default: SIPOptions.serveDefault)
        var config = SIPConfiguration(host: listeners[0].host, port: listeners[0].port, advertisedHost: sip.advertise,
                                      rtpPorts: try sip.portRange(), maxCalls: maxCalls, ringing: ringing,
                                      recordingsFolder: sip.recordings, referTarget: setup.referTarget)
        sip.applyTransports(listeners, to: &config)
        config.overloadLag = overloadLag
        config.overloadLatePermille = Int((overloadLate * 10).rounded())
        config.ownSignallingLoop = !sharedSignallingLoop
        config.realtimePriority = realtimeMedia ? RealtimePriority.defaultPriority : nil
        config.t1 = sip.t1
        config.assertIdentity = assertIdentity
        config.srtp = try sip.srtpPolicy()
        config.outboundProxy = setup.outboundProxy
        config.dnsServer = try sip.dnsServerAddress()
        setup.trunk.apply(to: &config)
        let observed = metrics.flatMap(ServeMetrics.address).map { ServeMetrics(host: $0.host, port: $0.port) }
        let server = IVRServer(bundle: setup.bundle, bytes: setup.bytes, server: sip.serverName, services: setup.services,
                               records: records.map { CallRecordLog(path: $0) }, metrics: observed?.metrics ?? .none)
        do {
            try await server.start(configuration: config)
        } catch {
            await setup.http.shutdown()
            let wanted = listeners.map(\.description).joined(separator: ", ")
            return try CommandOutput(stderr: "error: cannot listen on \(wanted): \(error)\n", exitCode: CommandOutput.Code.ioError).emit()
        }
        var pages: MetricsHTTPServer?
        if let observed {
            do {
                pages = try await observed.serve(server)
            } catch {
                await server.shutdown()
                await setup.http.shutdown()
                return try CommandOutput(stderr: "error: cannot listen on \(metrics ?? "") for --metrics: \(error)\n",
                                         exitCode: CommandOutput.Code.ioError).emit()
            }
        }
        let served = server.served
        var elsewhere = ""
        if !served.otherNodesFlowNames.isEmpty {
            elsewhere = "; not served on \(server.serverName): \(served.otherNodesFlowNames.joined(separator: ", "))"
        }
        server.notice("listening on \(SIPOptions.describe(server.endpoint.listening)) (flows: \(served.servedFlowNames.joined(separator: ", "))"
                      + "\(elsewhere); server \(server.serverName), bundle \(served.hash.prefix(12)))")
        if let pages, let observed {
            server.notice("metrics on http://\(observed.host.contains(":") ? "[\(observed.host)]" : observed.host):\(pages.port)/metrics")
        }
        // Events: a signal (SIGTERM/SIGINT, SIGHUP), or 0 once the calls have drained.
        let signals = SignalWatcher(reload: true)
        var signalsSeen = 0
        var reloading: Task<Void, Never>?
        for await event in signals.stream {
            if event == 0 { break }
            if event == SIGHUP {
                // One reload at a time, in the order asked; routing goes on meanwhile.
                let previous = reloading
                // --tts espeak without an engine: a bundle that speaks is refused, as at the start.
                var speechless = false
                if case .none = setup.services.tts, sip.tts == "espeak" { speechless = true }
                reloading = Task { [path, speechless] in
                    await previous?.value
                    await Self.reload(server, path: path, speechless: speechless)
                }
                continue
            }
            signalsSeen += 1
            if signalsSeen == 1 {
                await server.beginDraining()
                let live = await server.endpoint.activeCallCount()
                server.notice("shutting down: no new calls; waiting for \(live) call(s)")
                // The registrars stop sending calls at once; live calls go on.
                Task { await server.endpoint.unregisterAll() }
                Task {
                    await server.drain()
                    signals.continuation.yield(0)
                }
            } else {
                server.notice("second signal: hanging up every call")
                server.endpoint.hangUpAll()
            }
        }
        await pages?.close()
        await server.shutdown()
        await setup.http.shutdown()
    }

    /// SIGHUP: reads (or builds) PATH and verifies it exactly as at the
    /// start; serves it from now on, or refuses it with the reason.
    /// `speechless`: `--tts espeak` found no engine, so a bundle that uses
    /// `say` is refused (at the start, serve would not start with it).
    static func reload(_ server: IVRServer, path: String, speechless: Bool) async {
        let cwd = FileManager.default.currentDirectoryPath
        let loaded = await Task.detached { BundleSource.loadWithBytes(paths: [path], currentDirectory: cwd) }.value
        switch loaded {
        case .success(let (bundle, _)) where speechless && IVRServer.usesSpeech(bundle):
            server.reloadRefused(from: path, reason: "the flows use `say` but no text-to-speech engine is installed "
                                 + "(install espeak-ng, or restart serve with --tts none)")
        case .success(let (bundle, bytes)):
            await server.reload(bundle: bundle, bytes: bytes, from: path)
        case .failure(let error):
            let message = CommandFailure(error).message.trimmingCharacters(in: .whitespacesAndNewlines)
            server.reloadRefused(from: path, reason: message.hasPrefix("error: ") ? String(message.dropFirst(7)) : message)
        }
    }
}

/// Options shared by `serve` and `call`.
public struct SIPOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Where to hear SIP, repeatable: [udp:|tcp:|tls:]HOST:PORT (no prefix: UDP; serve: default 127.0.0.1:5060; call: 127.0.0.1 on a free port).",
                               valueName: "[transport:]host:port"))
    public var listen: [String] = []

    @Option(help: ArgumentHelp("PEM certificate chain for tls: listeners (and mutual TLS).", valueName: "file"))
    public var tlsCert: String?

    @Option(help: ArgumentHelp("PEM private key of --tls-cert.", valueName: "file"))
    public var tlsKey: String?

    @Option(help: ArgumentHelp("PEM certificates trusted for outbound TLS (default: the system's).", valueName: "file"))
    public var tlsCa: String?

    @Option(help: ArgumentHelp("Verify the certificates of TLS servers ivrc connects to: on or off (off only for tests).",
                               valueName: "on|off"))
    public var tlsVerify: String = "on"

    @Option(help: "The address put in Contact, Via and SDP (default: the listen host).")
    public var advertise: String?

    @Option(help: ArgumentHelp("This node's name, in call records; serve answers only the flows whose servers: names it, and those without servers: (default: the host name).",
                               valueName: "name"))
    public var server: String?

    /// `--server`, else the host name.
    var serverName: String { server ?? IVRServer.hostName }

    @Option(help: "Even RTP ports to use, A-B.")
    public var rtpPorts: String = "10000-20000"

    @Option(help: "Text-to-speech for say: espeak (espeak-ng) or none (a tone; the text is logged).")
    public var tts: String = "espeak"

    @Option(help: "Folder for TTS renderings.")
    public var ttsCache: String = NSTemporaryDirectory() + "ivrc-tts"

    @Option(help: "Folder for recordings (WAV, 8 kHz PCM16).")
    public var recordings: String = "recordings"

    @Option(help: "Extra folder for prompt audio (repeatable; searched first).")
    public var audio: [String] = []

    @Option(help: "Host for extension/conference/group/app transfers (overrides the manifest's sip.pbx).")
    public var pbx: String?

    @Option(help: "Host for number transfers (overrides the manifest's sip.trunk).")
    public var trunk: String?

    @Option(help: ArgumentHelp("Send initial requests (outside a dialog) through this SIP proxy, e.g. \"sip:sbc.acme.example;lr\" (overrides the manifest's sip.outbound-proxy).",
                               valueName: "uri"))
    public var proxy: String?

    @Option(help: "SIP timer T1 in milliseconds (retransmissions; 64*T1 is the transaction timeout).")
    public var t1: Int = 500

    @Option(help: ArgumentHelp("Ask this DNS server (IPv4 HOST:PORT) for SRV and address records instead of the system's (default: $IVRC_DNS_SERVER).",
                               valueName: "host:port"))
    public var dnsServer: String?
    @Option(help: ArgumentHelp("SRTP (SDES-keyed encrypted media): off, optional (answer SRTP offers with SRTP, plain ones with RTP) or required (a plain offer gets 488).",
                               valueName: "off|optional|required"))
    public var srtp: String = "optional"

    public init() {}

    func srtpPolicy() throws -> SRTPPolicy {
        guard let policy = SRTPPolicy(rawValue: srtp) else {
            throw ValidationError("--srtp takes off, optional or required, not '\(srtp.prefix(40))'")
        }
        return policy
    }

    func portRange() throws -> ClosedRange<Int> {
        guard let r = PortAllocator.parseRange(rtpPorts) else {
            throw ValidationError("--rtp-ports takes A-B with 1024 <= A <= B <= 65534, e.g. 10000-20000")
        }
        return r
    }
}

/// Waits for SIGTERM / SIGINT (and SIGHUP with `reload`).
// NOTE: `sources` is set once in init and only kept alive; the stream is Sendable.
final class SignalWatcher: @unchecked Sendable {
    let stream: AsyncStream<Int32>
    let continuation: AsyncStream<Int32>.Continuation
    let sources: [any DispatchSourceSignal]

    init(reload: Bool = false) {
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        self.stream = stream
        self.continuation = continuation
        sources = ([SIGTERM, SIGINT] + (reload ? [SIGHUP] : [])).map { sig in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { continuation.yield(sig) }
            source.resume()
            return source
        }
    }
}

/// What `serve` and `call` need from PATH: the verified bundle, the
/// Refer-To hosts (manifest `sip:` block, overridden by --pbx/--trunk), the
/// outbound proxy (manifest `sip.outbound-proxy`, overridden by --proxy),
/// prompt folders, the TTS engine, and the webhook client (IVRLive's, the
/// one `run` and `simulate --live` use; shut it down when the calls are over).
struct SIPSetup {
    var bundle: VerifiedBundle
    /// The bundle's bytes: the file's, or those the sources compiled to.
    var bytes: [UInt8]
    var referTarget: ReferTarget
    var outboundProxy: SIPURI?
    /// The manifest's credentials, registrations and inbound policy, passwords read from the environment.
    var trunk: SIPTrunkCredentials
    var services: CallServices
    var http: HTTPWebhookClient

    static func load(path: String, options: SIPOptions,
                     environment: [String: String] = ProcessInfo.processInfo.environment) -> Result<SIPSetup, CommandFailure> {
        let cwd = FileManager.default.currentDirectoryPath
        var folders = options.audio
        var pbx: String?, trunk: String?, manifestProxy: String?
        let bundle: VerifiedBundle
        let bytes: [UInt8]
        if BundleFormat.isBundle(path: path, currentDirectory: cwd) {
            switch BundleSource.loadWithBytes(paths: [path], currentDirectory: cwd) {
            case .success(let b): (bundle, bytes) = b
            case .failure(let e): return .failure(CommandFailure(e))
            }
            pbx = bundle.sipSettings.pbx
            trunk = bundle.sipSettings.trunk
            manifestProxy = bundle.sipSettings.outboundProxy
            // A bundle's audio paths are relative to its project, which is
            // usually the bundle's folder or one above it (`build/app.ivrb`).
            var folder = FilePaths.absolute((path as NSString).deletingLastPathComponent, cwd: cwd)
            for _ in 0..<3 {
                folders.append(folder)
                let parent = (folder as NSString).deletingLastPathComponent
                if parent == folder { break }
                folder = parent
            }
            folders.append(cwd)
        } else {
            switch FlowBuild.build(paths: [path], currentDirectory: cwd) {
            case .failure(let e): return .failure(CommandFailure(e))
            case .success(let out):
                bundle = out.bundle
                bytes = out.bytes
                pbx = out.project.manifest?.sip?.pbx?.value
                trunk = out.project.manifest?.sip?.trunk?.value
                manifestProxy = out.project.manifest?.sip?.outboundProxy?.value
                if let root = out.project.root {
                    if let audio = out.project.manifest?.audio?.value {
                        folders.append(audio.hasPrefix("/") ? audio : (root as NSString).appendingPathComponent(audio))
                    }
                    folders.append(root)
                }
                for flow in out.project.flows {
                    let folder = (flow.file as NSString).deletingLastPathComponent
                    folders.append(folder.isEmpty ? "." : folder)
                }
                var isFolder: ObjCBool = false
                if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue { folders.append(path) }
            }
        }
        let outboundProxy: SIPURI?
        switch options.outboundProxy(manifest: manifestProxy) {
        case .success(let uri): outboundProxy = uri
        case .failure(let f): return .failure(f)
        }
        let trunkCredentials: SIPTrunkCredentials
        switch SIPTrunkCredentials.resolve(bundle.sipSettings, environment: environment) {
        case .success(let t): trunkCredentials = t
        case .failure(let f): return .failure(f)
        }
        let tts: TextToSpeech
        switch options.tts {
        case "none": tts = .none
        case "espeak":
            if let engine = TextToSpeech.findEngine() {
                tts = .espeak(executable: engine, cacheFolder: options.ttsCache)
            } else if IVRServer.usesSpeech(bundle) {
                return .failure(.init(message: """
                    error: the flows use `say` but no text-to-speech engine is installed
                      = help: install espeak-ng (apt-get install -y espeak-ng), or run with --tts none \
                    (each say plays a short tone and its text is logged)
                    """, exitCode: CommandOutput.Code.ioError))
            } else {
                tts = .none
            }
        default:
            return .failure(.init(message: "error: --tts takes espeak or none, not '\(options.tts)'", exitCode: CommandOutput.Code.usage))
        }
        let target = ReferTarget(pbx: options.pbx ?? pbx, trunk: options.trunk ?? trunk)
        var seen = Set<String>()
        folders = folders.filter { seen.insert(($0 as NSString).standardizingPath).inserted }
        let http = HTTPWebhookClient()
        let services = CallServices(prompts: PromptAudio(folders: folders), tts: tts, recordingsFolder: options.recordings,
                                    referTarget: target, webhook: { try await http.perform($0) },
                                    download: { try await http.download(url: $0) })
        return .success(SIPSetup(bundle: bundle, bytes: bytes, referTarget: target, outboundProxy: outboundProxy, trunk: trunkCredentials,
                                 services: services, http: http))
    }
}
