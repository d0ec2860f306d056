import Foundation
import IVRBytecode

/// Runs one call: the async loop that performs the interpreter's effects on a
/// media backend and resumes it, recording every event. A caller hang-up (or
/// a cancelled task) ends the call cleanly; a record is always produced.
public enum CallDriver {
    /// Waits for the caller allowed in one call before it is ended as an
    /// error (a hostile bundle that loops through menus forever).
    public static let maxWaits = 10_000

    public static func run(_ bundle: VerifiedBundle, flow: Int, backend: some MediaBackend,
                           caller: String, called: String? = nil, trace: Bool = false,
                           presets: CallPresets = CallPresets(),
                           onInput: (@Sendable (CallRecord.Input) -> Void)? = nil) async -> CallReport {
        let session = CallSession(bundle: bundle, flow: flow, caller: caller, called: called, start: backend.now, trace: trace,
                                  presets: presets)
        session.onInput = onInput
        while let effect = session.next(now: backend.now), await perform(effect, session, backend) {}
        return session.report(end: backend.now)
    }

    // A server keeps the async frames of every call in progress, so each
    // await below lives in its own small function: only the frames of the
    // wait in progress exist while a call waits.

    /// Performs one effect on the backend and hands the answer to the
    /// session; false when the call is over.
    @inline(never)
    static func perform(_ effect: Effect, _ session: CallSession, _ backend: some MediaBackend) async -> Bool {
        do {
            switch effect {
            case .collect(let request): try await collect(request, session, backend)
            case .transfer(let request): return try await transfer(request, session, backend)
            case .webhook(let request): try await webhook(request, session, backend)
            case .hangup:
                await backend.hangup()
                return false
            default: try await other(effect, session, backend)
            }
            return true
        } catch {
            session.callerHungUp()
            return false
        }
    }

    @inline(never)
    static func collect(_ request: CollectRequest, _ session: CallSession, _ backend: some MediaBackend) async throws {
        do {
            session.collected(request, try await backend.collect(request))
        } catch let hungUp as CallerHungUp {
            session.played(request.prompts.prefix(hungUp.promptsStarted))
            throw hungUp
        }
    }

    /// True when the transfer connected (the call goes on elsewhere).
    @inline(never)
    static func transfer(_ request: TransferRequest, _ session: CallSession, _ backend: some MediaBackend) async throws -> Bool {
        !session.transferred(request, try await backend.transfer(request))
    }

    @inline(never)
    static func webhook(_ request: WebhookRequest, _ session: CallSession, _ backend: some MediaBackend) async throws {
        do {
            session.answered(request, .success(try await backend.webhook(request)))
        } catch let failure as WebhookFailure {
            session.answered(request, .failure(failure))
        }
    }

    /// Prompts outside waits, and recordings.
    @inline(never)
    static func other(_ effect: Effect, _ session: CallSession, _ backend: some MediaBackend) async throws {
        switch effect {
        case .play(let file, let transcript): try await backend.play(file: file, transcript: transcript)
        case .say(let text, let voice, let language): try await backend.say(text: text, voice: voice, language: language)
        case .record(let request): session.recorded(try await backend.record(request))
        case .waitCallee(let wait): session.waited(wait, heard: try await backend.waitForCallee(wait))
        default: break  // observations: the session recorded them
        }
    }
}
