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
                           caller: String, called: String? = nil, trace: Bool = false) async -> CallReport {
        let start = backend.now
        var vm = CallVM(bundle: bundle, flow: flow, caller: caller, called: called, now: start)
        vm.tracing = trace
        var events: [CallEvent] = []
        var visited: [String] = []
        var path: [(flow: String, node: String)] = []
        var outcome = CallReport.Outcome.hangup
        var destination: (kind: String, value: String)?
        var waits = 0

        func note(_ kind: CallEvent.Kind) { events.append(CallEvent(kind, node: vm.node, flow: bundle.flowName(vm.flow))) }
        func played(_ prompts: ArraySlice<PromptItem>) {
            for p in prompts {
                switch p {
                case .play(let file, let transcript): note(.play(file: file, transcript: transcript))
                case .say(let text, _, _): note(.say(text: text))
                }
            }
        }

        loop: while true {
            vm.now = backend.now
            let effect = vm.run()
            do {
                if Task.isCancelled { throw CallerHungUp() }
                switch effect {
                case .enterNode(let name):
                    visited.append(name)
                    path.append((bundle.flowName(vm.flow), name))
                case .enterFlow: break
                case .input(let digits, let kind): note(.input(digits, kind: kind))
                case .timeout: note(.timeout)
                case .invalid(let digits): note(.invalid(digits))
                case .refused(let kind, let value):
                    note(.transferFailed(kind: kind, value: value, reason: "not allowed by the transfer's allow pattern"))
                case .play(let file, let transcript):
                    note(.play(file: file, transcript: transcript))
                    try await backend.play(file: file, transcript: transcript)
                case .say(let text, let voice, let language):
                    note(.say(text: text))
                    try await backend.say(text: text, voice: voice, language: language)
                case .collect(let request):
                    waits += 1
                    if waits > maxWaits {
                        note(.error("the call waited for the caller \(maxWaits) times"))
                        outcome = .error
                        break loop
                    }
                    do {
                        let result = try await backend.collect(request)
                        played(request.prompts.prefix(result.promptsPlayed))
                        vm.resume(.collected(result))
                    } catch let hungUp as CallerHungUp {
                        played(request.prompts.prefix(hungUp.promptsStarted))
                        throw hungUp
                    }
                case .transfer(let request):
                    switch try await backend.transfer(request) {
                    case .connected:
                        note(.transfer(kind: request.kind, value: request.value))
                        outcome = .transfer
                        destination = (request.kind, request.value)
                        break loop
                    case .failed(let reason):
                        note(.transferFailed(kind: request.kind, value: request.value, reason: reason))
                        vm.resume(.transferFailed(reason))
                    }
                case .record(let request):
                    waits += 1
                    let location = try await backend.record(request)
                    note(.record(location))
                    vm.resume(.recorded(location))
                case .webhook(let request):
                    do {
                        let response = try await backend.webhook(request)
                        note(.webhook(url: request.url, status: response.status, error: nil))
                        vm.resume(.webhook(.success(response)))
                    } catch let failure as WebhookFailure {
                        note(.webhook(url: request.url, status: nil, error: failure.reason))
                        vm.resume(.webhook(.failure(failure)))
                    }
                case .hangup:
                    note(.hangup)
                    await backend.hangup()
                    outcome = .hangup
                    break loop
                case .error(let message):
                    note(.error(message))
                    outcome = .error
                    break loop
                }
            } catch {
                note(.callerHangup)
                outcome = .callerHangup
                break loop
            }
        }
        let variables = vm.userVariables().map { ($0.name, $0.sensitive ? CallVM.redacted : $0.value) }
        var record = CallReport(flow: bundle.flowName(flow), outcome: outcome, destination: destination, visited: visited,
                                events: events, variables: variables, caller: caller, start: start, end: backend.now)
        record.path = path
        record.trace = vm.executed.map { "\(bundle.flowName($0.flow))@\($0.pc)  \(Disassembler.line(bundle, flow: $0.flow, offset: $0.pc))" }
        return record
    }
}
