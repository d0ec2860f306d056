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
    var code: [UInt8]
    var pc: Int
    var attempts: [UInt8]
    var backStack: [(flow: Int, pc: Int, node: String)] = []
    var variables: [String?]
    /// Which variables hold a sensitive value (see `CallVM+Taint.swift`).
    var taint = TaintBits()
    /// User variables of flows the call left through `ivr:` transfers.
    var carried: [String: (value: String, sensitive: Bool)] = [:]
    var prompts: [PromptItem] = []
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

    public init(bundle: VerifiedBundle, flow: Int, caller: String, called: String? = nil, now: Date) {
        self.bundle = bundle
        self.flow = flow
        let image = bundle.flows[flow]
        self.code = image.code
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
        var c = CodeCursor(code: code, pc: pc)
        guard let op = Opcode(rawValue: c.byte()) else {
            return .error("unknown opcode at \(pc)")  // unreachable: verified
        }
        switch op {
        case .node:
            node = strings[c.uint()]
            pc = c.pc
            return .enterNode(node)
        case .jump:
            pc = c.uint()
        case .hangup:
            pc = c.pc
            return .hangup
        case .say, .queueSay:
            let parts = c.text()
            // A sensitive value is never spoken (the checker's E503): its part is `***`.
            let text = isTainted(parts) ? shown(parts) : interpolate(parts)
            let voice = c.optional().map { strings[$0] } ?? nonEmpty(BuiltinVariable.voice)
            let language = c.optional().map { strings[$0] } ?? nonEmpty(BuiltinVariable.language)
            pc = c.pc
            if op == .queueSay {
                prompts.append(.say(text: text, voice: voice, language: language))
            } else {
                return .say(text: text, voice: voice, language: language)
            }
        case .play, .queuePlay:
            let file = strings[c.uint()]
            let transcript = c.optional().map { strings[$0] }
            pc = c.pc
            if op == .queuePlay {
                prompts.append(.play(file: file, transcript: transcript))
            } else {
                return .play(file: file, transcript: transcript)
            }
        case .set:
            let v = c.uint()
            assign(v, c.text())
            if v < BuiltinVariable.allCases.count { builtinsSet |= 1 << v }
            pc = c.pc
        case .menu:
            let slot = c.uint()
            enterMenu(at: pc)
            attempts[slot] = 1
            pc = c.pc
        case .attemptReset:
            attempts[c.uint()] = 1
            pc = c.pc
        case .ifRetry:
            let slot = c.uint(), target = c.uint()
            pc = attempts[slot] > 1 ? target : c.pc
        case .retry:
            let slot = c.uint(), limit = c.uint(), target = c.uint()
            if Int(attempts[slot]) < limit {
                attempts[slot] &+= 1
                pc = target
            } else {
                pc = c.pc
            }
        case .onTimeout:
            let target = c.uint()
            pc = timedOut ? target : c.pc
        case .onKey:
            let key = c.key(), target = c.uint()
            pc = !timedOut && input.count == 1 && input.first == key ? target : c.pc
        case .onExtension:
            let pattern = c.uint(), target = c.uint()
            pc = !timedOut && !input.isEmpty && bundle.patterns[pattern]?.matches(input) == true ? target : c.pc
        case .invalid:
            pc = c.pc
            return .invalid(input)
        case .accept:
            let v = c.uint(), target = c.uint()
            if inputValid {
                store(v, input, sensitive: inputSensitive)
                pc = c.pc
            } else {
                pc = target
            }
        case .waitKey, .extendKeys, .waitDigits:
            return wait(op, &c)
        case .back, .top, .resume, .gotoFlow:
            return move(op, &c)
        case .transfer, .transferKeyed, .webhook, .record:
            return request(op, &c)
        case .branchIfFalse:
            let condition = c.expression()
            let target = c.uint()
            var evaluator = ConditionEvaluator(vm: self)
            pc = evaluator.isTrue(condition) ? c.pc : target
            if evaluator.readClock { readClock = true }
        }
        return nil
    }

    // MARK: - Helpers

    mutating func interpolate(_ parts: [(index: Int, isVariable: Bool)], escape: (String) -> String = { $0 }) -> String {
        var out = ""
        for p in parts {
            out += p.isVariable ? escape(variables[p.index] ?? "") : strings[p.index]
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
