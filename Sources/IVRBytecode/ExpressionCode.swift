import IVRSyntax

/// A `branch.if` condition as stored in the bundle, with variables as
/// indices into the flow's variable table and `open()` resolved to a schedule.
public indirect enum CodeExpression: Sendable, Equatable {
    case string(Int)
    case number(ExactNumber)
    case bool(Bool)
    case variable(Int)
    case not(CodeExpression)
    case binary(Expression.BinaryOperator, CodeExpression, CodeExpression)
    case call(CodeFunction, [CodeExpression])
    case open(schedule: Int)
}

/// The built-in functions other than `open`, with their argument counts.
public enum CodeFunction: UInt8, Sendable, CaseIterable {
    case len = 0, startsWith, matches, num
    public var name: String {
        switch self {
        case .len: "len"
        case .startsWith: "starts_with"
        case .matches: "matches"
        case .num: "num"
        }
    }
    public var arity: Int { self == .len || self == .num ? 1 : 2 }
}

/// The prefix encoding of conditions:
///
/// ```
/// 0 s        string constant s         5 e        not e
/// 1 n text   number (decimal)          6 op l r   binary (op: == != < <= > >= and or = 0..7)
/// 2 / 3      false / true              7 fn n a*  call (fn: len starts_with matches num)
/// 4 v        variable v                8 s        open(schedule s)
/// ```
/// A number is its decimal text (`-?[0-9]+(\.[0-9]+)?`, every digit kept,
/// so a 20-digit literal compares exactly). Nesting is limited to `maxDepth` so decoding never recurses without bound.
public enum ExpressionCode {
    public static let maxDepth = 48

    public static func encode(_ e: CodeExpression, into w: inout ByteWriter) {
        switch e {
        case .string(let s): w.byte(0); w.leb(s)
        case .number(let n): w.byte(1); w.string(n.description)
        case .bool(let b): w.byte(b ? 3 : 2)
        case .variable(let v): w.byte(4); w.leb(v)
        case .not(let x): w.byte(5); encode(x, into: &w)
        case .binary(let op, let l, let r):
            w.byte(6)
            w.byte(UInt8(Expression.BinaryOperator.allCases.firstIndex(of: op) ?? 0))
            encode(l, into: &w)
            encode(r, into: &w)
        case .call(let fn, let args):
            w.byte(7); w.byte(fn.rawValue); w.leb(args.count)
            for a in args { encode(a, into: &w) }
        case .open(let s): w.byte(8); w.leb(s)
        }
    }

    public static func decode(_ r: inout ByteReader, _ l: OperandLimits, depth: Int = 0) throws(BundleError) -> CodeExpression {
        guard depth < maxDepth else { throw .malformed("\(r.what): condition nested deeper than \(maxDepth)") }
        let tag = try r.byte()
        switch tag {
        case 0: return .string(try r.index(below: l.strings, "constant index"))
        case 1:
            let text = try r.string()
            guard let n = ExactNumber(text) else {
                throw .malformed("\(r.what): number '\(text.prefix(24))' is not a decimal number")
            }
            return .number(n)
        case 2: return .bool(false)
        case 3: return .bool(true)
        case 4: return .variable(try r.index(below: l.variables, "variable index"))
        case 5: return .not(try decode(&r, l, depth: depth + 1))
        case 6:
            let ops = Expression.BinaryOperator.allCases
            let op = ops[try r.index(below: ops.count, "operator")]
            let lhs = try decode(&r, l, depth: depth + 1)
            return .binary(op, lhs, try decode(&r, l, depth: depth + 1))
        case 7:
            guard let fn = CodeFunction(rawValue: try r.byte()) else { throw .malformed("\(r.what): unknown function") }
            let n = try r.leb()
            guard n == UInt64(fn.arity) else { throw .malformed("\(r.what): \(fn.name) takes \(fn.arity) arguments, not \(n)") }
            var args: [CodeExpression] = []
            for _ in 0..<fn.arity { args.append(try decode(&r, l, depth: depth + 1)) }
            return .call(fn, args)
        case 8: return .open(schedule: try r.index(below: l.schedules, "schedule index"))
        default: throw .malformed("\(r.what): unknown condition tag \(tag)")
        }
    }
}
