import Foundation
import IVRBytecode
import IVRSyntax

/// Evaluates a `branch.if` condition as stored in the bundle, with the
/// semantics of `ExpressionEvaluator` (its `Value`, truthiness, numeric
/// strings and comparisons are shared, not re-implemented): variables by
/// index, `open()` by schedule index, `matches()` with the patterns compiled
/// at load. Nesting is bounded by the bundle verifier, so the recursion is too.
struct ConditionEvaluator {
    typealias Value = ExpressionEvaluator.Value

    let vm: CallVM
    /// An `open()` was evaluated: the answer depended on the clock
    /// (`and` and `or` evaluate their right side only when it matters).
    private(set) var readClock = false

    init(vm: CallVM) { self.vm = vm }

    mutating func isTrue(_ e: CodeExpression) -> Bool { value(e).isTruthy }

    mutating func value(_ e: CodeExpression) -> Value {
        switch e {
        case .string(let i): return .string(vm.strings[i])
        case .number(let n): return .number(n)
        case .bool(let b): return .bool(b)
        case .variable(let v): return .string(vm.variables[v] ?? "")
        case .not(let x): return .bool(!value(x).isTruthy)
        case .binary(.and, let l, let r): return .bool(value(l).isTruthy && value(r).isTruthy)
        case .binary(.or, let l, let r): return .bool(value(l).isTruthy || value(r).isTruthy)
        case .binary(let op, let l, let r): return .bool(ExpressionEvaluator.compare(op, value(l), value(r)))
        case .call(let fn, let args): return call(fn, args)
        case .open(let s):
            readClock = true
            return .bool(BusinessHours.isOpen(vm.image.schedules[s], strings: vm.strings, at: vm.now))
        }
    }

    private mutating func call(_ fn: CodeFunction, _ raw: [CodeExpression]) -> Value {
        var args: [Value] = []
        for e in raw { args.append(value(e)) }
        guard args.count == fn.arity else { return .bool(false) }
        switch fn {
        case .len: return .number(ExactNumber(args[0].text.count))
        case .num: return .number(args[0].number ?? .zero)
        case .startsWith: return .bool(args[0].text.hasPrefix(args[1].text))
        case .matches:
            if case .string(let i) = raw[1], let p = vm.bundle.patterns[i] { return .bool(p.matches(args[0].text)) }
            return .bool((try? Pattern(args[1].text))?.matches(args[0].text) ?? false)
        }
    }
}
