import Foundation
import IVRBytecode
import IVRRuntime

/// The world's answers to one call, in order, recorded from a run of the
/// scripted backend, so the interpreter can be timed on its own: replaying
/// them drives `CallVM` synchronously, with no backend and no event log.
struct Replay {
    enum Answer {
        case resume(Resumption)
        /// The call ends here (a transfer connected, the caller hung up).
        case end
    }

    var call: ScriptedCall
    /// Answers, each with the backend's clock after it.
    var answers: [(answer: Answer, now: Date)]
    /// Instructions the call executes (counted with the VM's trace).
    var instructions: Int
    /// `(flow, offset)` of every executed instruction, for the decode baseline.
    var trace: [(flow: Int, pc: Int)]

    /// Runs the call once through `CallDriver` and the scripted backend, recording.
    static func record(_ call: ScriptedCall, bundle: VerifiedBundle) async -> Replay {
        let backend = RecordingBackend(ScriptedBackend(tokens: call.tokens, at: call.at, webhooks: call.webhooks))
        _ = await CallDriver.run(bundle, flow: call.flow, backend: backend, caller: call.caller)
        var replay = Replay(call: call, answers: backend.answers, instructions: 0, trace: [])
        var vm = replay.start(bundle)
        vm.tracing = true
        replay.run(&vm)
        replay.trace = vm.executed
        replay.instructions = vm.executed.count
        return replay
    }

    func start(_ bundle: VerifiedBundle) -> CallVM {
        CallVM(bundle: bundle, flow: call.flow, caller: call.caller, now: call.at)
    }

    /// Drives the machine to the end of the call; returns the effects seen.
    @discardableResult
    func run(_ vm: inout CallVM) -> Int {
        var next = 0
        var effects = 0
        while true {
            let effect = vm.run()
            effects += 1
            switch effect {
            case .collect, .transfer, .record, .webhook:
                guard next < answers.count, case .resume(let r) = answers[next].answer else { return effects }
                vm.now = answers[next].now
                next += 1
                vm.resume(r)
            case .hangup, .error:
                return effects
            default:
                continue
            }
        }
    }
}

/// A backend that forwards to the scripted one and writes down its answers.
final class RecordingBackend: MediaBackend {
    let inner: ScriptedBackend
    var answers: [(answer: Replay.Answer, now: Date)] = []
    init(_ inner: ScriptedBackend) { self.inner = inner }

    var now: Date { inner.now }

    private func note(_ a: Replay.Answer) { answers.append((a, inner.now)) }

    func play(file: String, transcript: String?) async throws { inner.play(file: file, transcript: transcript) }

    func say(text: String, voice: String?, language: String?) async throws {
        inner.say(text: text, voice: voice, language: language)
    }

    func collect(_ request: CollectRequest) async throws -> CollectResult {
        do {
            let r = try inner.collect(request)
            note(.resume(.collected(r)))
            return r
        } catch {
            note(.end)
            throw error
        }
    }

    func transfer(_ request: TransferRequest) async throws -> TransferResult {
        let r = try inner.transfer(request)
        switch r {
        case .connected, .bridged: note(.end)
        case .failed(let reason): note(.resume(.transferFailed(reason)))
        }
        return r
    }

    func record(_ request: RecordRequest) async throws -> String {
        let r = try inner.record(request)
        note(.resume(.recorded(r)))
        return r
    }

    func webhook(_ request: WebhookRequest) async throws -> WebhookResponse {
        do {
            let r = try await inner.webhook(request)
            note(.resume(.webhook(.success(r))))
            return r
        } catch let failure as WebhookFailure {
            note(.resume(.webhook(.failure(failure))))
            throw failure
        }
    }

    func hangup() async { inner.hangup() }
}
