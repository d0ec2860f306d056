/// A `branch.if` expression that does not parse (E402): what was expected
/// and the exact range in the file.
public struct ExpressionSyntaxError: Error, Sendable, Hashable {
    public var message: String
    public var range: SourceRange

    public init(message: String, range: SourceRange) {
        self.message = message
        self.range = range
    }

    /// The error as an E402 diagnostic in `file`.
    public func diagnostic(file: String) -> Diagnostic {
        Diagnostic(.E402, message, file: file, range: range)
    }
}

/// Parses the expression language of `branch.if` (flow-language.md 5.2):
///
/// ```
/// or         := and ('or' and)*
/// and        := not ('and' not)*
/// not        := 'not' not | comparison
/// comparison := primary (('==' | '!=' | '<' | '<=' | '>' | '>=') primary)?
/// primary    := STRING | NUMBER | 'true' | 'false' | NAME | NAME '(' args? ')' | '(' or ')'
/// ```
///
/// Comparisons do not chain (`a < b < c` is an error). Strings use double or
/// single quotes with `\"`, `\'` and `\\` escapes; other backslashes are kept.
/// Every node's range is exact in file coordinates: `map` says where each
/// character of the text stands in the file (see `ScalarSourceMap`).
public enum ExpressionParser {
    /// Deepest nesting of parentheses and `not`, and of the resulting tree,
    /// so that nothing that walks an expression can exhaust the stack.
    public static let maxDepth = 64

    /// Parses text that stands in the file exactly as written, from `origin`.
    public static func parse(_ text: String, origin: SourceLocation) -> Result<Expression, ExpressionSyntaxError> {
        parse(ScalarSourceMap.verbatim(text, origin: origin))
    }

    /// Parses `map.text`, the value of a scalar.
    public static func parse(_ map: ScalarSourceMap) -> Result<Expression, ExpressionSyntaxError> {
        var lexer = ExpressionLexer(map)
        var parser = Parser(tokens: lexer.tokenize())
        do throws(ExpressionSyntaxError) {
            return .success(try parser.parseCondition())
        } catch {
            return .failure(error)
        }
    }
}

/// A parsed sub-expression and the span it covers, parentheses included.
private struct Parsed {
    var expression: Expression
    var span: SourceRange
    var depth: Int
}

private struct Parser {
    let tokens: [ExpressionToken]
    var index = 0
    var nesting = 0

    init(tokens: [ExpressionToken]) { self.tokens = tokens }

    var current: ExpressionToken { tokens[min(index, tokens.count - 1)] }
    var previous: ExpressionToken? { index > 0 ? tokens[index - 1] : nil }

    mutating func advance() -> ExpressionToken {
        let token = current
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    func fail(_ message: String, at range: SourceRange) -> ExpressionSyntaxError {
        ExpressionSyntaxError(message: message, range: range)
    }

    mutating func parseCondition() throws(ExpressionSyntaxError) -> Expression {
        if case .end = current.kind {
            throw fail("expected a condition, found nothing", at: current.range)
        }
        let result = try parseOr()
        switch current.kind {
        case .end: return result.expression
        case .rightParen: throw fail("unmatched ')'", at: current.range)
        case .invalid(let message): throw fail(message, at: current.range)
        case .comparison:
            throw fail("comparisons cannot be chained; join them with 'and'", at: current.range)
        default:
            throw fail("expected an operator such as '==', 'and' or 'or' before '\(current.text)'\(keywordHint(current))", at: current.range)
        }
    }

    mutating func parseOr() throws(ExpressionSyntaxError) -> Parsed {
        var left = try parseAnd()
        while case .keyword(.or) = current.kind {
            _ = advance()
            left = try combine(.or, left, try parseAnd())
        }
        return left
    }

    mutating func parseAnd() throws(ExpressionSyntaxError) -> Parsed {
        var left = try parseNot()
        while case .keyword(.and) = current.kind {
            _ = advance()
            left = try combine(.and, left, try parseNot())
        }
        return left
    }

    mutating func parseNot() throws(ExpressionSyntaxError) -> Parsed {
        guard case .keyword(.not) = current.kind else { return try parseComparison() }
        let keyword = advance()
        try enter(at: keyword.range)
        let operand = try parseNot()
        nesting -= 1
        let range = keyword.range.union(operand.span)
        return try node(.unary(.not, operand.expression, range), span: range, depth: operand.depth + 1)
    }

    mutating func parseComparison() throws(ExpressionSyntaxError) -> Parsed {
        let left = try parsePrimary()
        guard case .comparison(let op) = current.kind else { return left }
        _ = advance()
        return try combine(op, left, try parsePrimary())
    }

    mutating func parsePrimary() throws(ExpressionSyntaxError) -> Parsed {
        let token = advance()
        switch token.kind {
        case .string(let value): return Parsed(expression: .string(value, token.range), span: token.range, depth: 1)
        case .number(let value): return Parsed(expression: .number(value, token.range), span: token.range, depth: 1)
        case .keyword(.true): return Parsed(expression: .bool(true, token.range), span: token.range, depth: 1)
        case .keyword(.false): return Parsed(expression: .bool(false, token.range), span: token.range, depth: 1)
        case .name(let name):
            if case .leftParen = current.kind { return try parseCall(token, name: name) }
            if let hint = keywordHint(token, standalone: true) { throw fail(hint, at: token.range) }
            return Parsed(expression: .variable(name, token.range), span: token.range, depth: 1)
        case .leftParen:
            try enter(at: token.range)
            var inner = try parseOr()
            nesting -= 1
            guard case .rightParen = current.kind else {
                throw fail("expected ')' to close '(' at \(token.range.start)\(found())", at: current.range)
            }
            inner.span = token.range.union(advance().range)
            return inner
        case .invalid(let message):
            throw fail(message, at: token.range)
        case .end:
            let after = previous.map { " after '\($0.text)'" } ?? ""
            throw fail("expected a value\(after), but the condition ends", at: token.range)
        case .keyword, .comparison, .rightParen, .comma:
            throw fail("expected a value, a variable or a function call, found '\(token.text)'", at: token.range)
        }
    }

    mutating func parseCall(_ nameToken: ExpressionToken, name: String) throws(ExpressionSyntaxError) -> Parsed {
        if name.contains(".") {
            throw fail("'\(name)' cannot be called: only functions like len(x) take arguments", at: nameToken.range)
        }
        let open = advance()
        try enter(at: open.range)
        var arguments: [Expression] = []
        var depth = 1
        if case .rightParen = current.kind {
        } else {
            while true {
                let argument = try parseOr()
                arguments.append(argument.expression)
                depth = max(depth, argument.depth + 1)
                guard case .comma = current.kind else { break }
                _ = advance()
            }
        }
        nesting -= 1
        guard case .rightParen = current.kind else {
            throw fail("expected ',' or ')' to close the call to '\(name)' at \(open.range.start)\(found())", at: current.range)
        }
        let range = nameToken.range.union(advance().range)
        let call = Expression.call(Located(name, nameToken.range), arguments, range)
        return try node(call, span: range, depth: depth)
    }

    // MARK: Helpers

    mutating func combine(_ op: Expression.BinaryOperator, _ left: Parsed, _ right: Parsed) throws(ExpressionSyntaxError) -> Parsed {
        let range = left.span.union(right.span)
        return try node(.binary(op, left.expression, right.expression, range), span: range, depth: max(left.depth, right.depth) + 1)
    }

    func node(_ expression: Expression, span: SourceRange, depth: Int) throws(ExpressionSyntaxError) -> Parsed {
        if depth > ExpressionParser.maxDepth {
            throw fail("condition is too complex (more than \(ExpressionParser.maxDepth) levels deep); split it into several branches", at: span)
        }
        return Parsed(expression: expression, span: span, depth: depth)
    }

    mutating func enter(at range: SourceRange) throws(ExpressionSyntaxError) {
        nesting += 1
        if nesting > ExpressionParser.maxDepth {
            throw fail("condition is nested more than \(ExpressionParser.maxDepth) levels deep", at: range)
        }
    }

    /// ", found 'x'" or ", but the condition ends".
    func found() -> String {
        switch current.kind {
        case .end: ", but the condition ends"
        default: ", found '\(current.text)'"
        }
    }

    /// For a name that is a keyword in the wrong case (`AND`, `True`).
    func keywordHint(_ token: ExpressionToken, standalone: Bool) -> String? {
        guard case .name(let name) = token.kind,
              let keyword = ExpressionToken.Keyword(rawValue: name.lowercased()) else { return nil }
        return "unknown name '\(name)' — did you mean '\(keyword.rawValue)'? (keywords are lowercase)"
    }

    func keywordHint(_ token: ExpressionToken) -> String {
        guard case .name(let name) = token.kind,
              let keyword = ExpressionToken.Keyword(rawValue: name.lowercased()) else { return "" }
        return " — did you mean '\(keyword.rawValue)'? (keywords are lowercase)"
    }
}
