/// A `branch.if` expression (section 5.2). Every node keeps its range in the
/// flow file so type errors point inside the expression.
public indirect enum Expression: Sendable {
    public enum UnaryOperator: String, Sendable { case not }
    public enum BinaryOperator: String, Sendable, CaseIterable {
        case equal = "==", notEqual = "!=", less = "<", lessEqual = "<="
        case greater = ">", greaterEqual = ">=", and, or

        public var isComparison: Bool { self != .and && self != .or }
        public var isOrdering: Bool { isComparison && self != .equal && self != .notEqual }
    }

    case string(String, SourceRange)
    /// A number literal, exact however many digits it has.
    case number(ExactNumber, SourceRange)
    case bool(Bool, SourceRange)
    case variable(String, SourceRange)
    case unary(UnaryOperator, Expression, SourceRange)
    case binary(BinaryOperator, Expression, Expression, SourceRange)
    case call(Located<String>, [Expression], SourceRange)

    public var range: SourceRange {
        switch self {
        case .string(_, let r), .number(_, let r), .bool(_, let r), .variable(_, let r),
             .unary(_, _, let r), .binary(_, _, _, let r), .call(_, _, let r):
            r
        }
    }

    /// Every variable the expression reads, in source order.
    public var variables: [Located<String>] {
        switch self {
        case .string, .number, .bool: []
        case .variable(let n, let r): [Located(n, r)]
        case .unary(_, let e, _): e.variables
        case .binary(_, let l, let r, _): l.variables + r.variables
        case .call(_, let args, _): args.flatMap(\.variables)
        }
    }
}

extension Expression: CustomStringConvertible {
    /// The expression fully parenthesized, for messages and tests:
    /// `((a == "x") and not open("support"))`.
    public var description: String {
        switch self {
        case .string(let s, _):
            "\"" + s.map { $0 == "\"" || $0 == "\\" ? "\\\($0)" : String($0) }.joined() + "\""
        case .number(let n, _): n.description
        case .bool(let b, _): b ? "true" : "false"
        case .variable(let name, _): name
        case .unary(let op, let e, _): "\(op.rawValue) \(e)"
        case .binary(let op, let l, let r, _): "(\(l) \(op.rawValue) \(r))"
        case .call(let name, let args, _): "\(name.value)(\(args.map(\.description).joined(separator: ", ")))"
        }
    }
}
