import Foundation
import IVRRuntime
import Logging
import NIOCore

/// Shared by every call of a server: where prompts, speech, recordings and
/// webhooks come from.
public struct CallServices: Sendable {
    public var prompts: PromptAudio
    public var tts: TextToSpeech
    public var recordingsFolder: String
    public var referTarget: ReferTarget
    public var webhook: (@Sendable (WebhookRequest) async throws -> WebhookResponse)?
    /// Downloads a prompt at an `https://` URL (the whole body); nil: URL prompts are not played.
    public var download: (@Sendable (String) async throws -> [UInt8])?
    public var logger: Logger

    /// A logger that reports only warnings and errors (benchmarks, tests).
    public static func quietLogger() -> Logger {
        var logger = Logger(label: "ivrc.sip")
        logger.logLevel = .warning
        return logger
    }

    public init(prompts: PromptAudio, tts: TextToSpeech, recordingsFolder: String, referTarget: ReferTarget,
                webhook: (@Sendable (WebhookRequest) async throws -> WebhookResponse)?,
                download: (@Sendable (String) async throws -> [UInt8])? = nil,
                logger: Logger = Logger(label: "ivrc.sip")) {
        self.prompts = prompts
        self.tts = tts
        self.recordingsFolder = recordingsFolder
        self.referTarget = referTarget
        self.webhook = webhook
        self.download = download
        self.logger = logger
    }
}

/// The interpreter's `MediaBackend` over one SIP call: prompts go out as
/// paced RTP, keys come from RFC 4733 and INFO, transfers are REFERs.
/// A hang-up (BYE, or the task cancelled) makes every wait throw `CallerHungUp`.
public final class SIPCallBackend: MediaBackend {
    let leg: CallLeg
    let endpoint: SIPEndpoint
    let media: MediaSession
    let services: CallServices
    var recordings = 0
    /// Refer-To of the completed transfer, for the call record.
    public internal(set) var referredTo: String?
    /// The destination and summary of a bridged transfer, once over (for the log and the record).
    public internal(set) var bridged: (destination: String, summary: BridgeSummary)?
    public internal(set) var recordedFiles: [String] = []

    public init(leg: CallLeg, endpoint: SIPEndpoint, media: MediaSession, services: CallServices) {
        self.leg = leg
        self.endpoint = endpoint
        self.media = media
        self.services = services
    }

    public var now: Date { Date() }

    func samples(_ item: PromptItem) async -> [Int16] {
        await services.samples(item, callID: leg.callID, metrics: endpoint.metrics)
    }

    func playToEnd(_ samples: [Int16]) async throws {
        media.startPlayback(samples)
        if await media.wait(playback: true) == .hangup { throw CallerHungUp() }
    }

    public func play(file: String, transcript: String?) async throws {
        try await playToEnd(await samples(.play(file: file, transcript: transcript)))
    }

    public func say(text: String, voice: String?, language: String?) async throws {
        try await playToEnd(await samples(.say(text: text, voice: voice, language: language)))
    }

    public func collect(_ request: CollectRequest) async throws -> CollectResult {
        var played = 0
        // Keys typed ahead cut the prompts before they start (barge-in).
        var pending: Character?
        switch await media.wait(keys: true, deadline: .now()) {
        case .key(let k): pending = k
        case .hangup: throw CallerHungUp()
        default:
            prompts: for (i, prompt) in request.prompts.enumerated() {
                let audio = await samples(prompt)
                played = i + 1
                media.startPlayback(audio)
                switch await media.wait(keys: true, playback: true) {
                case .key(let k):
                    media.stopPlayback()
                    pending = k
                    break prompts
                case .hangup:
                    media.stopPlayback()
                    throw CallerHungUp(promptsStarted: played)
                default: continue
                }
            }
        }
        var digits = ""
        var deadline = NIODeadline.now() + .milliseconds(Int64(request.timeout))
        while true {
            let event: MediaEvent
            if let k = pending {
                event = .key(k)
                pending = nil
            } else {
                event = await media.wait(keys: true, deadline: deadline)
            }
            switch event {
            case .key(let k):
                if let t = request.terminator, k == t {
                    return CollectResult(digits: digits, ending: .terminator, promptsPlayed: played)
                }
                digits.append(k)
                if digits.count >= request.maxDigits {
                    if request.takesTrailingTerminator, let t = request.terminator {
                        media.discardNext(t, within: request.interDigitTimeout)
                    }
                    return CollectResult(digits: digits, ending: .maxDigits, promptsPlayed: played)
                }
                deadline = .now() + .milliseconds(Int64(request.interDigitTimeout))
            case .hangup:
                throw CallerHungUp(promptsStarted: played)
            default:
                return CollectResult(digits: digits, ending: digits.isEmpty ? .timeout : .interDigitTimeout, promptsPlayed: played)
            }
        }
    }

    /// `via: refer` sends REFER; `bridge` places the call and joins the
    /// parties (`SIPCallBackend+Bridge`); `auto` bridges when the caller's
    /// INVITE does not allow REFER or the REFER itself is refused.
    public func transfer(_ request: TransferRequest) async throws -> TransferResult {
        let uri: String
        do { uri = try services.referTarget.uri(kind: request.kind, value: request.value, shown: request.shownValue) } catch {
            return .failed(error.reason)
        }
        switch request.via {
        case .refer: break
        case .bridge: return try await bridge(request, to: uri)
        case .auto:
            if await !endpoint.allowsRefer(leg) { return try await bridge(request, to: uri) }
        }
        let wait = TimeAmount.milliseconds(Int64(request.timeout) + 10_000)
        switch await endpoint.transfer(leg, to: uri, timeout: wait) {
        case .connected:
            referredTo = request.sensitive ? CallVM.redacted : uri
            return .connected
        case .failed(let reason) where request.via == .auto && reason.hasPrefix(SIPEndpoint.referRefused):
            services.logger.info("\(reason); bridging instead", metadata: ["call-id": "\(leg.callID)"])
            return try await bridge(request, to: uri)
        case .failed(let reason): return .failed(reason)
        case .hungUp: throw CallerHungUp()
        }
    }

    public func record(_ request: RecordRequest) async throws -> String {
        if request.beep { try await playToEnd(Tone.sine(hz: 1000, milliseconds: 250)) }
        media.startRecording(maxMilliseconds: request.maxDuration, silenceMilliseconds: request.silence, finishOn: request.finishOn)
        let event = await media.wait(recording: true)
        let (audio, _) = await media.finishRecording()
        recordings += 1
        let name = "\(fileSafeCallID)-\(recordings).wav"
        saveRecording(WAVFile.encode(audio), name: name)
        if event == .hangup { throw CallerHungUp() }
        return (services.recordingsFolder as NSString).appendingPathComponent(name)
    }

    /// `wait`: listens to the callee 100 ms at a time (`MediaSession.listen`,
    /// as `AnsweringMachineListening` does) and feeds
    /// `BeepDetector` (true when a beep has ended) or `VoiceActivity` (true
    /// after a second of silence); time without packets is silence. False
    /// at the timeout.
    ///
    /// The log line says how long the wait listened and, when it heard what
    /// it waited for, how long after the answer that was: the step may start
    /// late (a slow flow, a loaded machine), and the callee's audio started
    /// at the answer.
    public func waitForCallee(_ wait: CalleeWait) async throws -> Bool {
        let heard = try await listenForCallee(wait)
        let leg = self.leg
        let answeredAt = try? await endpoint.eventLoop.submit { leg.answeredAt }.get()
        let sinceAnswer = answeredAt.flatMap { $0 }.map { " (\(Int(Date().timeIntervalSince($0) * 1000)) ms after the answer)" } ?? ""
        services.logger.info("wait for \(wait.kind.rawValue): \(heard.map { "heard after \($0) ms\(sinceAnswer)" } ?? "timed out after \(wait.timeout) ms")",
                             metadata: ["call-id": "\(leg.callID)"])
        return heard != nil
    }

    /// The milliseconds listened until the beep ended or the silence came; nil at the timeout.
    private func listenForCallee(_ wait: CalleeWait) async throws -> Int? {
        var beep = BeepDetector()
        var activity = VoiceActivity()
        var waited = 0
        while waited < wait.timeout {
            let length = min(100, wait.timeout - waited)
            guard let chunk = await media.listen(milliseconds: length) else { throw CallerHungUp() }
            for (i, frame) in chunk.frames.enumerated() {
                let at = waited + (i + 1) * VoiceActivity.frameMilliseconds
                switch wait.kind {
                case .beep: if beep.frame(frame) { return at }
                case .silence:
                    activity.frame(frame)
                    if activity.silentFor >= 1000 { return at }
                }
            }
            switch wait.kind {
            case .beep: if beep.missing(milliseconds: chunk.missing) { return waited + length }
            case .silence:
                activity.missing(milliseconds: chunk.missing)
                if activity.silentFor >= 1000 { return waited + length }
            }
            waited += length
        }
        return nil
    }

    /// The Call-ID as a file name's part: letters, digits and `-`, the rest `_`, at most 64.
    var fileSafeCallID: String { String(leg.callID.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" }.prefix(64)) }

    /// Writes a recording (WAV bytes) as `name` in the recordings folder
    /// (made when missing) and lists it in `recordedFiles`; false, logged,
    /// when it cannot be written.
    @discardableResult
    func saveRecording(_ wav: [UInt8], name: String) -> Bool {
        let path = (services.recordingsFolder as NSString).appendingPathComponent(name)
        try? FileManager.default.createDirectory(atPath: services.recordingsFolder, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: path, contents: Data(wav)) else {
            services.logger.error("cannot write recording \(path)")
            return false
        }
        recordedFiles.append(path)
        return true
    }

    /// The audio of prompt items, one after another.
    func samples(_ items: [PromptItem]) async -> [Int16] {
        var audio: [Int16] = []
        for item in items { audio += await samples(item) }
        return audio
    }

    public func webhook(_ request: WebhookRequest) async throws -> WebhookResponse {
        guard let webhook = services.webhook else { throw WebhookFailure("webhooks are not available in this server") }
        let started = ContinuousClock.now
        let metrics = endpoint.metrics
        func took() -> Int64 {
            let d = ContinuousClock.now - started
            return d.components.seconds * 1_000_000_000 + d.components.attoseconds / 1_000_000_000
        }
        do {
            let response = try await webhook(request)
            metrics.webhookDone(nanoseconds: took(), failed: !(200..<300).contains(response.status))
            return response
        } catch {
            metrics.webhookDone(nanoseconds: took(), failed: true)
            throw error
        }
    }

    public func hangup() async {
        endpoint.hangUp(leg)
    }
}
