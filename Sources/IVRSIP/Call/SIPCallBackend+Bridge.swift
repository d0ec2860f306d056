import Foundation
import IVRRuntime
import NIOCore
import Synchronization

/// A bridged transfer (`via: bridge`, or `auto` when REFER is refused): a
/// back-to-back user agent. ivrc places the B leg to the destination and
/// plays ringback to the caller (or relays the callee's early media), plays
/// the whisper to the callee, waits for `confirm`, then joins the two
/// legs' media (`MediaBridge`) until either side hangs up or
/// `max-duration` runs out; the other side then gets BYE.
extension SIPCallBackend {
    /// Where the callee's early media is being wired to the caller, so the
    /// join waits for it rather than racing it.
    final class EarlyMedia: Sendable {
        let task = Mutex<Task<Void, Never>?>(nil)

        func start(_ body: @escaping @Sendable () async -> Void) {
            task.withLock { $0 = Task { await body() } }
        }

        /// Waits for the wiring; true when there was early media.
        func settled() async -> Bool {
            guard let running = task.withLock({ $0 }) else { return false }
            await running.value
            return true
        }
    }

    enum Ringing: Sendable {
        case dialled(Result<CallLeg, SIPEndpoint.CallFailure>)
        case callerGone
    }

    enum Acceptance: Sendable {
        case accepted, notConfirmed, calleeHungUp
    }

    enum Ending: Sendable {
        case caller(Bool), callee(Bool), maxDuration, cancelled
    }

    func bridge(_ request: TransferRequest, to uri: String) async throws -> TransferResult {
        let options = request.bridge
        let caller = media
        let endpoint = self.endpoint
        await startRingback(options.ringback)
        let codec = await caller.currentCodec()
        let callID = endpoint.bridgeCallID()
        let fromUser = request.callerID ?? leg.callerUser
        let early = EarlyMedia()
        let ringStarted = Date()

        // Ringing: the B leg's INVITE, while the caller may hang up.
        let (dialled, callerGone) = await withTaskGroup(of: Ringing.self) { group in
            group.addTask {
                do throws(SIPEndpoint.CallFailure) {
                    let callee = try await endpoint.placeBridgeLeg(to: uri, callID: callID, fromUser: fromUser, codec: codec,
                                                                   ringTime: request.timeout, mediaLoop: caller.eventLoop) { calleeMedia in
                        early.start { await MediaBridge(caller: caller, callee: calleeMedia).relayCalleeToCaller() }
                    }
                    return .dialled(.success(callee))
                } catch {
                    return .dialled(.failure(error))
                }
            }
            group.addTask {
                _ = await caller.untilHungUp()
                return .callerGone
            }
            var dialled: Result<CallLeg, SIPEndpoint.CallFailure>?
            var gone = false
            while let event = await group.next() {
                switch event {
                case .dialled(let result):
                    dialled = result
                    group.cancelAll()
                case .callerGone:
                    // Cancelled after the answer: not a hang-up.
                    if dialled == nil {
                        gone = true
                        endpoint.cancelBridgeLeg(callID: callID)
                    }
                }
            }
            return (dialled ?? .failure(SIPEndpoint.CallFailure(description: "the B leg was not placed")), gone)
        }
        let ringSeconds = Date().timeIntervalSince(ringStarted)
        let hadEarlyMedia = await early.settled()
        let callee: CallLeg
        switch dialled {
        case .failure(let failure):
            // The caller's own sender takes over again from the early media.
            if hadEarlyMedia { await caller.setFed(false) }
            caller.stopPlayback()
            if callerGone { throw CallerHungUp() }
            return .bridged(.unanswered(ringSeconds: ringSeconds,
                                        failure: Self.reason(failure, ringSeconds: ringSeconds, sensitive: request.sensitive)))
        case .success(let leg):
            callee = leg
        }
        guard !callerGone, let calleeMedia = callee.media else {
            endpoint.hangUp(callee)
            throw CallerHungUp()
        }

        // Answered: the whisper and `confirm` on the callee only; the caller
        // hears ringback meanwhile (again, when early media had replaced it).
        if !options.whisper.isEmpty || options.confirm != nil {
            if hadEarlyMedia {
                await MediaBridge(caller: caller, callee: calleeMedia).unjoin()
                await startRingback(options.ringback)
            }
            let whisper = await samples(options.whisper)
            let acceptance = await whileCallerHere(caller) {
                await Self.accept(calleeMedia, whisper: whisper, confirm: options.confirm, timeout: options.confirmTimeout)
            }
            switch acceptance {
            case nil:
                endpoint.hangUp(callee)
                throw CallerHungUp()
            case .notConfirmed?:
                endpoint.hangUp(callee)
                caller.stopPlayback()
                let seconds = Double(options.confirmTimeout) / 1000
                return .bridged(.unanswered(ringSeconds: ringSeconds,
                                            failure: "408 the callee did not press \(options.confirm.map(String.init) ?? "") within \(seconds) s"))
            case .calleeHungUp?:
                caller.stopPlayback()
                return .bridged(.unanswered(ringSeconds: ringSeconds, failure: "480 the callee hung up before accepting"))
            case .accepted?:
                break
            }
        }

        // Joined until either side hangs up, or max-duration.
        let recording = options.record ? BridgeRecording() : nil
        let bridge = MediaBridge(caller: caller, callee: calleeMedia, recording: recording)
        let joined = Date()
        await bridge.join()
        let ending = await withTaskGroup(of: Ending.self) { group in
            group.addTask { .caller(await caller.untilHungUp()) }
            group.addTask { .callee(await calleeMedia.untilHungUp()) }
            if let limit = options.maxDuration {
                group.addTask {
                    do {
                        try await Task.sleep(for: .milliseconds(limit))
                        return .maxDuration
                    } catch {
                        return .cancelled
                    }
                }
            }
            let first = await group.next() ?? .cancelled
            group.cancelAll()
            return first
        }
        // Until the first hang-up as the endpoint learnt it (not when this task
        // got to run again: on a busy machine that is seconds later).
        let hungUp = [await caller.hangUpTime(), await calleeMedia.hangUpTime()].compactMap { $0 }.min()
        let talkSeconds = max(0, (hungUp ?? Date()).timeIntervalSince(joined))
        await bridge.unjoin()
        let endedBy = await ender(ending, callee: callee)
        if endedBy != .callee { endpoint.hangUp(callee) }
        let file = recording.flatMap { writeRecording($0) }
        let summary = BridgeSummary(ringSeconds: ringSeconds, answered: true, talkSeconds: talkSeconds, endedBy: endedBy,
                                    recording: file)
        bridged = (request.sensitive ? CallVM.redacted : uri, summary)
        return .bridged(summary)
    }

    /// Starts the ringback the caller hears while the callee rings.
    func startRingback(_ ringback: BridgeOptions.Ringback) async {
        switch ringback {
        case .tone(let tone):
            media.startLoop(RingbackCadence.cycle(tone))
        case .media(let items):
            media.startLoop(await samples(items))
        }
    }

    /// Runs `body` unless the caller hangs up first (nil then).
    func whileCallerHere<T: Sendable>(_ caller: MediaSession, _ body: @escaping @Sendable () async -> T) async -> T? {
        await withTaskGroup(of: T?.self) { group in
            group.addTask { await body() }
            group.addTask {
                _ = await caller.untilHungUp()
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    /// The whisper played to the callee, then `confirm` awaited (other keys
    /// are ignored) until `timeout` ms.
    static func accept(_ callee: MediaSession, whisper: [Int16], confirm: Character?, timeout: Int) async -> Acceptance {
        if !whisper.isEmpty {
            callee.startPlayback(whisper)
            if await callee.wait(playback: true) == .hangup { return .calleeHungUp }
        }
        guard let confirm else { return .accepted }
        let deadline = NIODeadline.now() + .milliseconds(Int64(timeout))
        while true {
            switch await callee.wait(keys: true, deadline: deadline) {
            case .key(let key) where key == confirm: return .accepted
            case .key: continue
            case .hangup: return .calleeHungUp
            default: return .notConfirmed
            }
        }
    }

    /// Who ended the bridge: the side whose hang-up came first, when it
    /// was that side's own (BYE); this server's (a shutdown) is `system`.
    func ender(_ ending: Ending, callee: CallLeg) async -> BridgeSummary.Ender {
        let callerSide = await endpoint.state(of: leg)
        let calleeSide = await endpoint.state(of: callee)
        switch ending {
        case .maxDuration: return .maxDuration
        case .caller(true) where callerSide.byRemote: return .caller
        case .callee(true) where calleeSide.byRemote: return .callee
        default:
            if callerSide.byRemote { return .caller }
            if calleeSide.byRemote { return .callee }
            return .system
        }
    }

    /// The failure reason `TransferOutcome(reason:)` reads: the callee's
    /// final status first (`486 Busy Here`), 408 for no answer. Other
    /// failures (DNS, transport) say why, naming the destination only when
    /// it is not sensitive (it shows in events and records).
    static func reason(_ failure: SIPEndpoint.CallFailure, ringSeconds: Double, sensitive: Bool) -> String {
        switch failure.status {
        case 408?: String(format: "408 no answer (rang %.1f s)", ringSeconds)
        case let status?: "\(status) \(failure.reasonPhrase ?? "")".trimmingCharacters(in: .whitespaces)
        case nil: sensitive ? "the call to \(CallVM.redacted) could not be placed" : failure.description
        }
    }

    /// Writes the bridge's stereo WAV into the recordings folder as
    /// `bridge-CALLID.wav`; its file name, or nil when it cannot be written.
    func writeRecording(_ recording: BridgeRecording) -> String? {
        let name = "bridge-\(fileSafeCallID).wav"
        return saveRecording(recording.wav(), name: name) ? name : nil
    }
}
