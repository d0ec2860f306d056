import IVRBytecode
import IVRSyntax

/// Waiting for keys, and resuming after any effect.
extension CallVM {
    @inline(never)
    mutating func wait(_ instruction: Instruction, next: Int) -> Effect? {
        switch instruction {
        case .waitKey(let timeout):
            pc = next
            waiting = .key
            return collect(CollectRequest(prompts: takePrompts(), maxDigits: 1, timeout: Int(timeout),
                                          interDigitTimeout: Int(timeout), terminator: nil))
        case .extendKeys(let patternRef, let interDigit):
            // Keys are taken one at a time, so collecting ends as soon as the
            // keys match and no further key could still match (`^2[0-9]$`
            // after "21"), not only at the longest match or the timeout.
            let at = pc, pattern = patternRef.index, idt = Int(interDigit)
            pc = next
            let more = CollectRequest(prompts: [], maxDigits: 1, timeout: idt, interDigitTimeout: idt,
                                      terminator: "#", continuesWait: true)
            if extendingMore, let compiled = bundle.patterns[pattern] {
                extendingMore = false
                let longest = min(compiled.maxMatchLength(alphabet: Pattern.dtmfKeys) ?? 32, 32)
                waiting = .extend(at: at, pattern: pattern, longest: longest)
                return collect(more)
            }
            guard !timedOut, input.count == 1, let compiled = bundle.patterns[pattern],
                  compiled.canBeginMatch(input, alphabet: Pattern.dtmfKeys) else {
                if !timedOut { pendingEffects.append(.input(input, kind: .menu)) }
                return nil
            }
            let longest = min(compiled.maxMatchLength(alphabet: Pattern.dtmfKeys) ?? 32, 32)
            guard longest > 1, !Self.isComplete(input, compiled) else {
                pendingEffects.append(.input(input, kind: input.count > 1 ? .extension : .menu))
                return nil
            }
            waiting = .extend(at: at, pattern: pattern, longest: longest)
            return collect(more)
        case let .waitDigits(min, max, terminator, timeout, idt, pattern, flags):
            pc = next
            waiting = .digits(min: Int(min), pattern: pattern?.index, sensitive: flags & 1 == 1)
            var request = CollectRequest(prompts: takePrompts(), maxDigits: Int(max), timeout: Int(timeout),
                                         interDigitTimeout: Int(idt), terminator: terminator?.character)
            request.sensitive = flags & 1 == 1
            request.takesTrailingTerminator = terminator != nil
            return collect(request)
        default:
            return .error("not a wait at \(pc)")  // unreachable: `step` sends only waits
        }
    }

    /// The keys match, and no further key could be part of a match.
    static func isComplete(_ keys: String, _ pattern: Pattern) -> Bool {
        guard pattern.matches(keys) else { return false }
        return !Pattern.dtmfKeys.contains { key in key != "#" && pattern.canBeginMatch(keys + String(key), alphabet: Pattern.dtmfKeys) }
    }

    mutating func takePrompts() -> [PromptItem] {
        defer { prompts.removeAll(keepingCapacity: true) }
        return prompts
    }

    private mutating func collect(_ request: CollectRequest) -> Effect {
        budget = 0
        return .collect(request)
    }

    /// Gives the machine the world's answer to the last effect.
    public mutating func resume(_ answer: Resumption) {
        let waited = waiting
        waiting = .nothing
        switch (waited, answer) {
        case (.key, .collected(let r)):
            timedOut = r.ending == .timeout && r.digits.isEmpty
            input = r.digits
            if timedOut {
                pendingEffects.append(.timeout)
            } else if let following = program.instruction(at: pc) {
                // A dial-by-extension instruction that follows reports the input itself.
                if case .extendKeys = following {} else { pendingEffects.append(.input(input, kind: .menu)) }
            }
        case (.extend(let at, let pattern, let longest), .collected(let r)):
            input += r.digits
            if r.digits.count == 1, input.count < longest, let compiled = bundle.patterns[pattern],
               !Self.isComplete(input, compiled) {
                pc = at  // one more key
                extendingMore = true
            } else {
                pendingEffects.append(.input(input, kind: input.count > 1 ? .extension : .menu))
            }
        case (.digits(let min, let pattern, let sensitive), .collected(let r)):
            timedOut = r.ending == .timeout && r.digits.isEmpty
            input = r.digits
            inputValid = !timedOut && input.count >= min
                && (pattern.map { bundle.patterns[$0]?.matches(input) == true } ?? true)
            inputSensitive = sensitive
            pendingEffects.append(timedOut ? .timeout : .input(sensitive ? CallVM.redacted : input, kind: .capture))
            if sensitive, !inputValid { input = CallVM.redacted }
        case (.transfer(let fail), .transferFailed):
            pc = fail
        case (.webhook(let into, let fail), .webhook(let result)):
            if case .success(let response) = result, (200..<300).contains(response.status),
               storeResponse(response, into: into) {
                break
            }
            pc = fail
        case (.record(let v), .recorded(let location)):
            store(v, location)
        default:
            break
        }
    }

    /// How sensitive digits appear in events and records.
    public static let redacted = "***"
}
