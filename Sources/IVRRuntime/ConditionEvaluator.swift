import Foundation
import IVRBytecode
import IVRSyntax

/// Evaluates a `branch.if` condition against the call's variables and clock.
/// Values are strings, numbers and booleans; a digits string compared with a
/// number compares as a number (flow-language.md section 5.2). Nesting is
/// bounded by the bundle verifier, so the recursion is too.
struct ConditionEvaluator {
    enum Value: Equatable {
        case string(String), number(Double), bool(Bool)

        var number: Double? {
            switch self {
            case .number(let d): d
            case .string(let s): Double(s.trimmingCharacters(in: .whitespaces))
            case .bool: nil
            }
        }

        var text: String {
            switch self {
            case .string(let s): s
            case .number(let d): d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
            case .bool(let b): b ? "true" : "false"
            }
        }

        var isTrue: Bool {
            switch self {
            case .bool(let b): b
            case .number(let d): d != 0
            case .string(let s): !s.isEmpty && s != "false"
            }
        }
    }

    let vm: CallVM

    init(vm: CallVM) { self.vm = vm }

    mutating func isTrue(_ e: CodeExpression) -> Bool { value(e).isTrue }

    func value(_ e: CodeExpression) -> Value {
        switch e {
        case .string(let i): return .string(vm.strings[i])
        case .number(let d): return .number(d)
        case .bool(let b): return .bool(b)
        case .variable(let v): return .string(vm.variables[v] ?? "")
        case .not(let x): return .bool(!value(x).isTrue)
        case .binary(let op, let l, let r): return binary(op, l, r)
        case .call(let fn, let args): return call(fn, args.map(value), raw: args)
        case .open(let s): return .bool(ScheduleCheck.isOpen(vm.image.schedules[s], strings: vm.strings, at: vm.now))
        }
    }

    private func binary(_ op: IVRSyntax.Expression.BinaryOperator, _ l: CodeExpression, _ r: CodeExpression) -> Value {
        switch op {
        case .and: return .bool(value(l).isTrue && value(r).isTrue)
        case .or: return .bool(value(l).isTrue || value(r).isTrue)
        default: break
        }
        let a = value(l), b = value(r)
        switch op {
        case .equal: return .bool(Self.equal(a, b))
        case .notEqual: return .bool(!Self.equal(a, b))
        default:
            guard let x = a.number, let y = b.number else { return .bool(false) }
            switch op {
            case .less: return .bool(x < y)
            case .lessEqual: return .bool(x <= y)
            case .greater: return .bool(x > y)
            default: return .bool(x >= y)
            }
        }
    }

    static func equal(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.number, _), (_, .number):
            guard let x = a.number, let y = b.number else { return false }
            return x == y
        case (.bool(let x), .bool(let y)): return x == y
        default: return a.text == b.text
        }
    }

    private func call(_ fn: CodeFunction, _ args: [Value], raw: [CodeExpression]) -> Value {
        switch fn {
        case .len: return .number(Double(args.first?.text.count ?? 0))
        case .num: return .number(args.first?.number ?? 0)
        case .startsWith:
            guard args.count == 2 else { return .bool(false) }
            return .bool(args[0].text.hasPrefix(args[1].text))
        case .matches:
            guard args.count == 2 else { return .bool(false) }
            if case .string(let i) = raw[1], let p = vm.bundle.patterns[i] { return .bool(p.matches(args[0].text)) }
            guard let p = try? Pattern(args[1].text) else { return .bool(false) }
            return .bool(p.matches(args[0].text))
        }
    }
}

/// `open("name")`: whether a schedule is open at an instant, in its time zone.
enum ScheduleCheck {
    static func isOpen(_ s: ScheduleImage, strings: [String], at date: Date) -> Bool {
        let zone = s.timezone.flatMap { TimeZone(identifier: strings[$0]) } ?? TimeZone(identifier: "UTC") ?? .current
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day, .weekday, .hour, .minute], from: date)
        guard let year = parts.year, let month = parts.month, let day = parts.day,
              let weekday = parts.weekday, let hour = parts.hour, let minute = parts.minute else { return false }
        let today = String(format: "%04d-%02d-%02d", year, month, day)
        if s.closed.contains(where: { strings[$0] == today }) { return false }
        let mondayBased = (weekday + 5) % 7  // Calendar: 1 = Sunday
        let now = hour * 60 + minute
        return s.rules.contains { rule in
            rule.days & UInt8(1 << mondayBased) != 0 && rule.intervals.contains { $0.contains(now) }
        }
    }
}
