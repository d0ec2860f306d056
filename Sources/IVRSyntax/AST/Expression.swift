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
    case number(Double, SourceRange)
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
