import Foundation
import IVRBytecode
import IVRSyntax

/// The interpreter of one call: a synchronous step function over a verified
/// bundle. `run()` executes instructions until it needs the world and returns
/// that `Effect`; the driver performs it and calls `resume(_:)` with the
/// answer. Per-call state is a program counter, attempt counters, the menu
/// stack for `back`, the variables (indexed by the flow's variable table),
/// the last input and the prompts queued for the next wait.
public struct CallVM {
    /// Instructions allowed between two waits for the caller; a flow that
    /// runs longer loops without waiting (the checker's E301), so it ends.
    public static let instructionBudget = 100_000
    /// `back` remembers at most this many menus.
    public static let maxBackStack = 64

    public let bundle: VerifiedBundle
    public internal(set) var flow: Int
    /// The current flow's instructions, decoded once when the bundle was verified.
    var program: FlowProgram
    /// The offset of the next instruction in the flow's code.
    var pc: Int
    var attempts: [UInt8]
    var backStack: [(flow: Int, pc: Int, node: String)] = []
    var variables: [String?]
    /// Which variables hold a sensitive value (see `CallVM+Taint.swift`).
    var taint = TaintBits()
    /// User variables of flows the call left through `ivr:` transfers.
    var carried: [String: (value: String, sensitive: Bool)] = [:]
    /// The call's `inputs` values and `answered_by`.
    let presets: CallPresets
    var prompts: [PromptItem] = []
    /// What `BRIDGEOPT` and `BRIDGEMEDIA` set for the next transfer; taken
    /// by it. Boxed: a paused call keeps one word for it.
    var pendingBridge: PendingBridge?
    var input = ""
    var timedOut = false
    var inputValid = false
    /// The last input came from a `sensitive: true` capture.
    var inputSensitive = false
    /// The flow's table marks some variable sensitive (a sensitive capture's
    /// `into`); without it and without taint, no value is ever sensitive.
    var flowHasSensitive = false
    var waiting: Waiting = .nothing
    /// The dial-by-extension instruction runs again for one more key.
    var extendingMore = false
    /// Effects a wait produced besides the one returned (what the caller
    /// keyed, a timeout): handed out, in order, before the next instruction runs.
    var pendingEffects: [Effect] = []
    var budget = 0
    /// The time `open()` sees; the driver sets it from the backend's clock.
    public var now: Date
    /// The node the call is in.
    public internal(set) var node = ""
    public internal(set) var isFinished = false
    /// The built-ins a `set` wrote (bit = index): `language` and `voice`
    /// then belong in the call's variables.
    var builtinsSet: UInt8 = 0
    /// Where the last `transfer` instruction starts: which transfer's
    /// `on-fail` a failure takes (`ivrc test` coverage).
    public internal(set) var transferAt = 0
    /// A condition read the clock (`open()`): the call depends on the date.
    public internal(set) var readClock = false
    /// When set, every executed instruction is appended to `executed`.
    public var tracing = false
    public internal(set) var executed: [(flow: Int, pc: Int)] = []

    enum Waiting {
        case nothing, key, transfer(fail: Int), webhook(into: Int?, fail: Int), record(Int)
        /// Dial-by-extension, one more key at a time: `at` is the
        /// instruction to run again for the next key.
        case extend(at: Int, pattern: Int, longest: Int)
        case digits(min: Int, pattern: Int?, sensitive: Bool)
    }

    public init(bundle: VerifiedBundle, flow: Int, caller: String, called: String? = nil, now: Date,
                presets: CallPresets = CallPresets()) {
        self.presets = presets
        self.bundle = bundle
        self.flow = flow
        let image = bundle.flows[flow]
        self.program = bundle.programs[flow]
        self.pc = image.entry
        self.attempts = Array(repeating: 0, count: image.slots)
        self.variables = Array(repeating: nil, count: image.variables.count)
        self.flowHasSensitive = image.variables.contains { $0.sensitive }
        self.now = now
        variables[BuiltinVariable.caller.index] = caller
        variables[BuiltinVariable.called.index] = called ?? image.extensionNumber.map { bundle.strings[$0] } ?? ""
        variables[BuiltinVariable.flow.index] = bundle.flowName(flow)
        variables[BuiltinVariable.language.index] = image.language.map { bundle.strings[$0] } ?? ""
        variables[BuiltinVariable.voice.index] = image.voice.map { bundle.strings[$0] } ?? ""
        applyPresets()
    }

    /// Sets the current flow's `inputs` and `answered_by` (on entry, and
    /// in a flow an `ivr:` transfer reaches, where the call's values hold).
    mutating func applyPresets() {
        for (i, info) in image.variables.enumerated() where i >= BuiltinVariable.allCases.count && variables[i] == nil {
            let name = strings[info.name]
            if info.input {
                variables[i] = presets.inputs[name] ?? ""
            } else if name == CallPresets.answeredByName {
                variables[i] = presets.answeredBy.rawValue
            }
        }
    }

    var strings: [String] { bundle.image.strings }
    var image: FlowImage { bundle.image.flows[flow] }

    /// Runs until the call needs the world (or reports something).
    public mutating func run() -> Effect {
        if !pendingEffects.isEmpty { return pendingEffects.removeFirst() }
        if isFinished { return .hangup }
        while true {
            budget += 1
            if budget > Self.instructionBudget {
                isFinished = true
                return .error("flow '\(bundle.flowName(flow))' ran \(Self.instructionBudget) instructions without waiting for the caller")
            }
            if tracing { executed.append((flow, pc)) }
            if let effect = step() {
                if case .hangup = effect { isFinished = true }
                if case .error = effect { isFinished = true }
                return effect
            }
            if !pendingEffects.isEmpty { return pendingEffects.removeFirst() }
        }
    }

    /// Executes one instruction; returns an effect when it needs the world.
    private mutating func step() -> Effect? {
        guard let index = program.index(at: pc) else {
            return .error("no instruction at \(pc)")  // unreachable: verified
        }
        // Where control falls through to.
        let next = program.offsets[index + 1]
        let instruction = program.instructions[index]
        switch instruction {
        case .node(let name):
            node = strings[name.index]
            pc = next
            return .enterNode(node)
        case .jump(let target):
            pc = target.offset
        case .hangup:
            pc = next
            return .hangup
        case .say(let text, let voice, let language), .queueSay(let text, let voice, let language):
            // A sensitive value is never spoken (the checker's E503): its part is `***`.
            let spoken = isTainted(text.parts) ? shown(text.parts) : interpolate(text.parts)
            let voice = voice.map { strings[$0.index] } ?? nonEmpty(BuiltinVariable.voice)
            let language = language.map { strings[$0.index] } ?? nonEmpty(BuiltinVariable.language)
            pc = next
            if case .queueSay = instruction {
                prompts.append(.say(text: spoken, voice: voice, language: language))
            } else {
                return .say(text: spoken, voice: voice, language: language)
            }
        case .play(let file, let transcript), .queuePlay(let file, let transcript):
            let file = strings[file.index]
            let transcript = transcript.map { strings[$0.index] }
            pc = next
            if case .queuePlay = instruction {
                prompts.append(.play(file: file, transcript: transcript))
            } else {
                return .play(file: file, transcript: transcript)
            }
        case .set(let v, let text):
            assign(v.index, text.parts)
            if v.index < BuiltinVariable.allCases.count { builtinsSet |= 1 << v.index }
            pc = next
        case .menu(let slot):
            enterMenu(at: pc)
            attempts[slot.index] = 1
            pc = next
        case .attemptReset(let slot):
            attempts[slot.index] = 1
            pc = next
        case .ifRetry(let slot, let short):
            pc = attempts[slot.index] > 1 ? short.offset : next
        case .retry(let slot, let limit, let loop):
            if UInt64(attempts[slot.index]) < limit {
                attempts[slot.index] &+= 1
                pc = loop.offset
            } else {
                pc = next
            }
        case .onTimeout(let target):
            pc = timedOut ? target.offset : next
        case .onKey(let key, let target):
            pc = !timedOut && input.count == 1 && input.first == key.character ? target.offset : next
        case .onExtension(let pattern, let target):
            pc = !timedOut && !input.isEmpty && bundle.patterns[pattern.index]?.matches(input) == true ? target.offset : next
        case .invalid:
            pc = next
            return .invalid(input)
        case .accept(let v, let invalid):
            if inputValid {
                store(v.index, input, sensitive: inputSensitive)
                pc = next
            } else {
                pc = invalid.offset
            }
        case .waitKey, .extendKeys, .waitDigits:
            return wait(instruction, next: next)
        case .back, .top, .resume, .gotoFlow:
            return move(instruction)
        case .transfer, .transferKeyed, .webhook, .record:
            return request(instruction, next: next)
        case .bridgeOptions, .bridgeMedia:
            setBridge(instruction)
            pc = next
        case .waitCallee(let kind, let timeout):
            pc = next
            return .waitCallee(CalleeWait(kind: kind == 0 ? .beep : .silence, timeout: Int(timeout)))
        case .branchIfFalse(let condition, let target):
            var evaluator = ConditionEvaluator(vm: self)
            pc = evaluator.isTrue(condition) ? next : target.offset
            if evaluator.readClock { readClock = true }
        }
        return nil
    }

    // MARK: - Helpers

    mutating func interpolate(_ parts: [TextPart], escape: (String) -> String = { $0 }) -> String {
        var out = ""
        for p in parts {
            switch p {
            case .constant(let i): out += strings[i]
            case .variable(let v): out += escape(variables[v] ?? "")
            }
        }
        return out
    }

    /// `language` / `voice` for a prompt; one made from a sensitive value
    /// is ignored (it would reach the speech engine and its error messages).
    func nonEmpty(_ v: BuiltinVariable) -> String? {
        guard let s = variables[v.index], !s.isEmpty, !isSensitive(v.index) else { return nil }
        return s
    }

    /// The call's user variables, every flow's, by name, plus `language`
    /// and `voice` when a `set` of the call wrote them.
    public func userVariables() -> [(name: String, value: String, sensitive: Bool)] {
        var all = carried
        for (i, info) in image.variables.enumerated() where i >= BuiltinVariable.allCases.count {
            if let value = variables[i] { all[strings[info.name]] = (value, isSensitive(i)) }
        }
        // `language` and `voice` are reported once the call set them (a
        // language menu); flow defaults are configuration, not call data.
        for builtin in [BuiltinVariable.language, .voice] where builtinsSet & (1 << builtin.index) != 0 {
            if let value = variables[builtin.index] { all[builtin.rawValue] = (value, isSensitive(builtin.index)) }
        }
        return all.keys.sorted().compactMap { name in all[name].map { (name, $0.value, $0.sensitive) } }
    }
}
