import Foundation
import IVRBytecode

/// The synchronous half of `CallDriver`: the machine of one call and what
/// its report needs (events, visited nodes, outcome). Everything here runs
/// between two suspensions, so none of it lives in the driver's async frame,
/// which a server keeps for every call in progress (its methods are never
/// inlined there for the same reason).
final class CallSession {
    let bundle: VerifiedBundle
    let flow: Int
    let caller: String
    let start: Date
    var vm: CallVM
    var events: [CallEvent] = []
    var visited: [String] = []
    var path: [(flow: String, node: String)] = []
    var outcome = CallReport.Outcome.hangup
    /// As shown: `***` when the transfer went to a sensitive value.
    var destination: (kind: String, value: String)?
    /// The real destination when `destination` shows `***` (for `ivrc test`).
    var hiddenDestination: String?
    /// How the completed transfer connected, and its bridge when bridged.
    var via: TransferVia?
    var bridge: BridgeSummary?
    /// Where `bridge` went when it was an attempt the callee did not take
    /// (the call then went on, so `destination` does not say).
    var bridgeDestination: (kind: String, value: String)?
    var waits = 0
    /// The transfers whose `on-fail` the call took: flow, instruction offset.
    var failedTransfers: [(flow: String, offset: Int)] = []
    /// Told of each completed menu choice or capture as it happens (live `dtmf` events).
    var onInput: (@Sendable (CallRecord.Input) -> Void)?

    @inline(never)
    init(bundle: VerifiedBundle, flow: Int, caller: String, called: String?, start: Date, trace: Bool,
         presets: CallPresets = CallPresets()) {
        self.bundle = bundle
        self.flow = flow
        self.caller = caller
        self.start = start
        vm = CallVM(bundle: bundle, flow: flow, caller: caller, called: called, now: start, presets: presets)
        vm.tracing = trace
    }

    func note(_ kind: CallEvent.Kind) {
        events.append(CallEvent(kind, node: vm.node, flow: bundle.flowName(vm.flow)))
    }

    /// Runs the machine until it needs the backend, recording observations
    /// on the way; nil when the call is over (an error, too many waits, a
    /// cancelled task: the caller hung up).
    @inline(never)
    func next(now: Date) -> Effect? {
        // Keys are reported once it is known that they were not refused
        // (a refusal is the very next observation).
        var pendingInput: CallRecord.Input?
        defer { if let pendingInput { onInput?(pendingInput) } }
        while true {
            vm.now = now
            let effect = vm.run()
            if Task.isCancelled {
                callerHungUp()
                return nil
            }
            switch effect {
            case .enterNode(let name):
                visited.append(name)
                path.append((bundle.flowName(vm.flow), name))
            case .enterFlow: break
            case .input(let digits, let kind):
                note(.input(digits, kind: kind))
                if let earlier = pendingInput { onInput?(earlier) }
                pendingInput = CallRecord.Input(node: vm.node, digits: digits, kind: kind.rawValue,
                                                sensitive: digits == CallVM.redacted ? true : nil,
                                                flow: vm.flow == flow ? nil : bundle.flowName(vm.flow))
            case .timeout: note(.timeout)
            case .invalid(let digits):
                note(.invalid(digits))
                pendingInput = nil
            case .refused(let kind, let value):
                note(.transferFailed(kind: kind.rawValue, value: value, result: .notAllowed,
                                     reason: "not allowed by the transfer's allow pattern"))
                failedTransfers.append((bundle.flowName(vm.flow), vm.transferAt))
            case .play(let file, let transcript):
                note(.play(file: file, transcript: transcript))
                return effect
            case .say(let text, _, _):
                note(.say(text: text))
                return effect
            case .record:
                waits += 1
                return effect
            case .waitCallee:
                return effect
            case .collect:
                waits += 1
                if waits > CallDriver.maxWaits {
                    note(.error("the call waited for the caller \(CallDriver.maxWaits) times"))
                    outcome = .error
                    return nil
                }
                return effect
            case .transfer, .webhook:
                return effect
            case .hangup:
                note(.hangup)
                outcome = .hangup
                return effect
            case .error(let message):
                note(.error(message))
                outcome = .error
                return nil
            }
        }
    }

    /// The prompts of a wait that the caller heard (or had started to).
    @inline(never)
    func played(_ prompts: ArraySlice<PromptItem>) {
        for p in prompts {
            switch p {
            case .play(let file, let transcript): note(.play(file: file, transcript: transcript))
            case .say(let text, _, _): note(.say(text: text))
            }
        }
    }

    @inline(never)
    func collected(_ request: CollectRequest, _ result: CollectResult) {
        played(request.prompts.prefix(result.promptsPlayed))
        vm.resume(.collected(result))
    }

    /// A transfer answered: true when it connected and the call is over.
    @inline(never)
    func transferred(_ request: TransferRequest, _ result: TransferResult) -> Bool {
        switch result {
        case .connected, .bridged:
            var summary: BridgeSummary?
            if case .bridged(let s) = result {
                // A bridge the callee never took (busy, no answer, confirm not
                // pressed) is a failed attempt; the record still carries it.
                guard s.answered else {
                    bridge = s
                    bridgeDestination = (request.kind.rawValue, request.shownValue)
                    return transferred(request, .failed(s.failure ?? TransferOutcome.noAnswer.rawValue))
                }
                summary = s
            }
            note(.transfer(kind: request.kind.rawValue, value: request.shownValue, bridge: summary))
            outcome = .transfer
            via = summary == nil ? .refer : .bridge
            if let summary {
                bridge = summary
                bridgeDestination = nil
            }
            destination = (request.kind.rawValue, request.shownValue)
            hiddenDestination = request.sensitive ? request.value : nil
            return true
        case .failed(let reason):
            note(.transferFailed(kind: request.kind.rawValue, value: request.shownValue, result: TransferOutcome(reason: reason),
                                 reason: reason))
            failedTransfers.append((bundle.flowName(vm.flow), vm.transferAt))
            vm.resume(.transferFailed(reason))
            return false
        }
    }

    /// A `wait` for the callee ended: `heard` when the beep or the silence came.
    func waited(_ wait: CalleeWait, heard: Bool) {
        note(.waited(for: wait.kind.rawValue, heard: heard))
    }

    @inline(never)
    func recorded(_ location: String) {
        note(.record(location))
        vm.resume(.recorded(location))
    }

    @inline(never)
    func answered(_ request: WebhookRequest, _ result: Result<WebhookResponse, WebhookFailure>) {
        switch result {
        case .success(let response) where !(200..<300).contains(response.status):
            note(.webhook(url: request.shownURL, status: response.status, error: "HTTP \(response.status)"))
        case .success(let response): note(.webhook(url: request.shownURL, status: response.status, error: nil))
        case .failure(let failure):
            note(.webhook(url: request.shownURL, status: failure.status, error: request.redacting(failure.reason)))
        }
        vm.resume(.webhook(result))
    }

    @inline(never)
    func callerHungUp() {
        note(.callerHangup)
        outcome = .callerHangup
    }

    @inline(never)
    func report(end: Date) -> CallReport {
        let all = vm.userVariables()
        let variables = all.map { ($0.name, $0.sensitive ? CallVM.redacted : $0.value) }
        var record = CallReport(flow: bundle.flowName(flow), outcome: outcome, destination: destination, visited: visited,
                                events: events, variables: variables, caller: caller, start: start, end: end)
        record.hidden = CallReport.Hidden(variables: Dictionary(all.filter(\.sensitive).map { ($0.name, $0.value) },
                                                                uniquingKeysWith: { $1 }),
                                          destination: hiddenDestination)
        record.path = path
        record.failedTransfers = failedTransfers
        record.via = via
        record.bridge = bridge
        record.bridgeDestination = bridgeDestination
        record.readClock = vm.readClock
        record.trace = vm.executed.map { "\(bundle.flowName($0.flow))@\($0.pc)  \(Disassembler.line(bundle, flow: $0.flow, offset: $0.pc))" }
        return record
    }
}
