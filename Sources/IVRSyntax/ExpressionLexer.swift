/// One token of a `branch.if` expression, with its exact range in the file.
struct ExpressionToken: Sendable {
    enum Kind: Sendable, Equatable {
        /// A variable or function name; dotted names (`customer.tier`) are one token.
        case name(String)
        case string(String)
        case number(ExactNumber)
        case keyword(Keyword)
        case comparison(Expression.BinaryOperator)
        case leftParen, rightParen, comma
        /// Something that cannot start a token; the message says why.
        case invalid(String)
        case end
    }

    enum Keyword: String, Sendable {
        case and, or, not, `true`, `false`
    }

    var kind: Kind
    /// The text as written, for messages.
    var text: String
    var range: SourceRange
}

/// Splits expression text into tokens. Token ranges come from `map`, which
/// says where each character of the text stands in the file (the text is
/// a scalar's value: escapes, quotes and folded lines lie between them).
struct ExpressionLexer {
    private let scalars: [Unicode.Scalar]
    /// The text's UTF-8, and where each scalar starts in it (one more
    /// entry: the end), so a token's text is one decode of a byte slice.
    /// (`String(String.UnicodeScalarView(scalars[a..<b]))` appends one
    /// scalar at a time through unspecialised code: it was a third of the
    /// instructions of `check` on a flow of many conditions.)
    private let utf8: [UInt8]
    private let utf8Starts: [Int]
    private let map: ScalarSourceMap
    private var i = 0

    init(_ map: ScalarSourceMap) {
        scalars = Array(map.text.unicodeScalars)
        utf8 = Array(map.text.utf8)
        var starts: [Int] = []
        starts.reserveCapacity(scalars.count + 1)
        var offset = 0
        for c in scalars {
            starts.append(offset)
            offset += UTF8.width(c)
        }
        starts.append(offset)
        utf8Starts = starts
        self.map = map
    }

    /// The text of scalars `start..<end`.
    private func text(_ start: Int, _ end: Int) -> String {
        String(decoding: utf8[utf8Starts[start]..<utf8Starts[end]], as: UTF8.self)
    }

    /// Every token, ending with `.end`. Stops after the first `.invalid`.
    mutating func tokenize() -> [ExpressionToken] {
        var tokens: [ExpressionToken] = []
        while true {
            let token = next()
            tokens.append(token)
            switch token.kind {
            case .end, .invalid: return tokens
            default: continue
            }
        }
    }

    private func range(_ start: Int, _ end: Int) -> SourceRange {
        map.range(of: start..<end)
    }

    private func token(_ kind: ExpressionToken.Kind, from start: Int) -> ExpressionToken {
        ExpressionToken(kind: kind, text: text(start, i), range: range(start, i))
    }

    private func peek(_ ahead: Int = 0) -> Unicode.Scalar? {
        i + ahead < scalars.count ? scalars[i + ahead] : nil
    }

    /// ASCII is decided without Unicode's property tables (its alphabetic scalars are the letters).
    private static func isNameStart(_ c: Unicode.Scalar) -> Bool {
        c.isASCII ? c == "_" || ("a"..."z").contains(c) || ("A"..."Z").contains(c) : c.properties.isAlphabetic
    }
    private static func isNamePart(_ c: Unicode.Scalar) -> Bool {
        c.isASCII ? isNameStart(c) || c == "-" || ("0"..."9").contains(c) : c.properties.isAlphabetic
    }
    private static func isDigit(_ c: Unicode.Scalar?) -> Bool { c.map { ("0"..."9").contains($0) } ?? false }

    private mutating func next() -> ExpressionToken {
        while let c = peek(), c == " " || c == "\t" || c == "\n" || c == "\r" { i += 1 }
        let start = i
        guard let c = peek() else { return token(.end, from: start) }
        i += 1
        switch c {
        case "(": return token(.leftParen, from: start)
        case ")": return token(.rightParen, from: start)
        case ",": return token(.comma, from: start)
        case "\"", "'": return string(quote: c, from: start)
        case "=", "!", "<", ">":
            return comparison(c, from: start)
        case "&", "|":
            let word = c == "&" ? "and" : "or"
            if peek() == c { i += 1 }
            return token(.invalid("unexpected '\(text(start, i))' — did you mean '\(word)'?"), from: start)
        case "-" where Self.isDigit(peek()):
            return number(from: start)
        case _ where Self.isDigit(c):
            return number(from: start)
        case _ where Self.isNameStart(c):
            return name(from: start)
        default:
            var message = "unexpected '\(Character(c))'"
            if c == "-" || c == "+" || c == "*" || c == "/" { message += "; conditions have no arithmetic" }
            return token(.invalid(message), from: start)
        }
    }

    private mutating func comparison(_ c: Unicode.Scalar, from start: Int) -> ExpressionToken {
        let second = peek()
        switch (c, second) {
        case ("=", "="): i += 1; return token(.comparison(.equal), from: start)
        case ("!", "="): i += 1; return token(.comparison(.notEqual), from: start)
        case ("<", "="): i += 1; return token(.comparison(.lessEqual), from: start)
        case (">", "="): i += 1; return token(.comparison(.greaterEqual), from: start)
        case ("<", ">"): i += 1; return token(.invalid("unexpected '<>' — did you mean '!='?"), from: start)
        case ("=", "<"): i += 1; return token(.invalid("unexpected '=<' — did you mean '<='?"), from: start)
        case ("=", ">"): i += 1; return token(.invalid("unexpected '=>' — did you mean '>='?"), from: start)
        case ("<", _): return token(.comparison(.less), from: start)
        case (">", _): return token(.comparison(.greater), from: start)
        case ("=", _): return token(.invalid("unexpected '=' — did you mean '=='?"), from: start)
        default: return token(.invalid("unexpected '!' — did you mean 'not' or '!='?"), from: start)
        }
    }

    private mutating func number(from start: Int) -> ExpressionToken {
        while Self.isDigit(peek()) { i += 1 }
        if peek() == ".", Self.isDigit(peek(1)) {
            i += 1
            while Self.isDigit(peek()) { i += 1 }
        }
        let written = text(start, i)
        guard let value = ExactNumber(written) else { return token(.invalid("invalid number '\(written)'"), from: start) }
        return ExpressionToken(kind: .number(value), text: written, range: range(start, i))
    }

    private mutating func name(from start: Int) -> ExpressionToken {
        while let c = peek(), Self.isNamePart(c) { i += 1 }
        while peek() == "." {
            guard let after = peek(1), Self.isNameStart(after) else {
                i += 1
                return token(.invalid("expected a field name after '.'"), from: start)
            }
            i += 1
            while let c = peek(), Self.isNamePart(c) { i += 1 }
        }
        let name = text(start, i)
        let kind: ExpressionToken.Kind = ExpressionToken.Keyword(rawValue: name).map { .keyword($0) } ?? .name(name)
        return ExpressionToken(kind: kind, text: name, range: range(start, i))
    }

    /// After the opening quote. `\"`, `\'` and `\\` are escapes; any other
    /// backslash is kept as written, so `"\d{4}"` reaches a regex intact.
    private mutating func string(quote: Unicode.Scalar, from start: Int) -> ExpressionToken {
        var value = String.UnicodeScalarView()
        while let c = peek() {
            i += 1
            if c == quote { return token(.string(String(value)), from: start) }
            if c == "\\", let escaped = peek(), escaped == "\"" || escaped == "'" || escaped == "\\" {
                value.append(escaped)
                i += 1
            } else {
                value.append(c)
            }
        }
        let q = Character(quote)
        return token(.invalid("unterminated string: add a closing \(q) (strings are written \(q)text\(q))"), from: start)
    }
}

extension ScalarSourceMap {
    /// The map of the value of the string literal whose range (quotes
    /// included) is `literal`, in an expression parsed from this map: where
    /// each character of `"..."` stands in the file, through the
    /// expression's escapes (`\"`, `\'`, `\\`, as the lexer reads them) and
    /// the scalar's own. Nil when the map is inexact or no literal starts there.
    public func stringLiteral(at literal: SourceRange) -> ScalarSourceMap? {
        guard isExact, let open = index(at: literal.start) else { return nil }
        let scalars = Array(text.unicodeScalars)
        guard open < scalars.count, scalars[open] == "\"" || scalars[open] == "'" else { return nil }
        let quote = scalars[open]
        var value = String.UnicodeScalarView()
        var starts: [SourceLocation] = [], ends: [SourceLocation] = []
        var j = open + 1
        while j < scalars.count {
            let c = scalars[j]
            if c == quote {
                starts.append(location(at: j))
                return ScalarSourceMap(text: String(value), range: literal, starts: starts, ends: ends)
            }
            let width = c == "\\" && j + 1 < scalars.count && (scalars[j + 1] == "\"" || scalars[j + 1] == "'"
                || scalars[j + 1] == "\\") ? 2 : 1
            value.append(scalars[j + width - 1])
            starts.append(location(at: j))
            ends.append(range(of: j..<(j + width)).end)
            j += width
        }
        return nil
    }
}
