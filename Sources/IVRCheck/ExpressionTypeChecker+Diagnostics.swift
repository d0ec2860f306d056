import IVRSyntax

// The diagnostics of `ExpressionTypeChecker`.

extension Diagnostic {
    /// `'tier'`, `"gold"`, `len(x)`: short enough to quote, else "this".
    static func quote(_ e: Expression) -> String {
        let text = e.description
        return text.count <= 40 ? "'\(text)'" : "this expression"
    }

    static func notACondition(_ e: Expression, _ type: ExpressionTypeChecker.ValueType, file: String) -> Diagnostic {
        var help = "compare it, e.g. x == \"yes\", or test that it is set: x != \"\""
        if case .variable(let name, _) = e { help = "compare it, e.g. \(name) == \"yes\", or test that it is set: \(name) != \"\"" }
        if type == .number { help = "compare it, e.g. \(e) > 0" }
        return Diagnostic(.E401, "a condition must be true or false, but \(quote(e)) is \(type.phrase)",
                          file: file, range: e.range, help: help)
    }

    static func logicOnNonBoolean(_ op: String, _ operand: Expression, _ type: ExpressionTypeChecker.ValueType, file: String) -> Diagnostic {
        var help: String?
        if case .variable(let name, _) = operand { help = "variables are strings; compare it, e.g. \(name) == \"yes\"" }
        return Diagnostic(.E401, "'\(op)' needs true/false, but \(quote(operand)) is \(type.phrase)",
                          file: file, range: operand.range, help: help)
    }

    static func orderingNonNumber(_ op: Expression.BinaryOperator, _ side: Expression, _ type: ExpressionTypeChecker.ValueType, file: String) -> Diagnostic {
        let what = type == .bool ? "true/false" : "a string that is not a number"
        return Diagnostic(.E401, "'\(op.rawValue)' compares numbers, but \(quote(side)) is \(what)",
                          file: file, range: side.range, help: type == .string ? "use '==' or '!=' to compare strings" : nil)
    }

    static func mixedComparison(_ op: Expression.BinaryOperator, _ l: ExpressionTypeChecker.ValueType, _ r: ExpressionTypeChecker.ValueType, range: SourceRange, file: String) -> Diagnostic {
        Diagnostic(.E401, "'\(op.rawValue)' compares \(l.phrase) with \(r.phrase); the result never changes",
                   file: file, range: range, help: "variables are strings: write \"true\" in quotes to compare text")
    }

    static func alwaysDifferent(_ op: Expression.BinaryOperator, _ literal: (String, SourceRange), file: String) -> Diagnostic {
        Diagnostic(.E401, "'\(op.rawValue)' compares a number with \"\(literal.0)\", which is not a number; the result never changes",
                   file: file, range: literal.1)
    }

    static func unknownFunction(_ name: Located<String>, known: [String], exact: Bool, file: String) -> Diagnostic {
        let guess = closestMatch(to: name.value, in: known)
        let help = guess.map { "did you mean '\($0)'?" } ?? "the functions are \(known.joined(separator: ", "))"
        let fix = exact ? guess.map { FixIt(message: "replace with '\($0)'", range: name.range, replacement: $0) } : nil
        return Diagnostic(.E403, "unknown function '\(name.value)'", file: file, range: name.range, help: help, fix: fix)
    }

    static func wrongArgumentCount(_ name: String, expected: Int, got: Int, range: SourceRange, file: String) -> Diagnostic {
        let takes = expected == 1 ? "1 argument" : "\(expected) arguments"
        let given = got == 1 ? "1 was given" : "\(got) were given"
        return Diagnostic(.E403, "\(name)() takes \(takes), but \(given)", file: file, range: range)
    }

    static func wrongArgumentType(_ function: String, position: Int, _ argument: Expression, _ type: ExpressionTypeChecker.ValueType, file: String) -> Diagnostic {
        let ordinal = ["first", "second", "third"][min(position, 2)]
        var help: String?
        if case .number(let n, _) = argument { help = "write it in quotes: \"\(n)\"" }
        return Diagnostic(.E401, "the \(ordinal) argument of \(function)() must be a string, but \(quote(argument)) is \(type.phrase)",
                          file: file, range: argument.range, help: help)
    }

    static func scheduleNotLiteral(_ argument: Expression, file: String) -> Diagnostic {
        Diagnostic(.E404, "open() needs a schedule name in quotes, like open(\"support\")", file: file, range: argument.range)
    }

    /// `literal` maps the name's characters, for a fix-it that replaces
    /// the name inside its quotes (nil: no fix-it).
    static func unknownSchedule(_ name: String, range: SourceRange, known: [String], literal: ScalarSourceMap?,
                                file: String) -> Diagnostic {
        let guess = closestMatch(to: name, in: known)
        let help: String
        if known.isEmpty {
            help = "this flow has no 'hours' section; define the schedule under 'hours:'"
        } else if let guess {
            help = "did you mean '\(guess)'?"
        } else {
            help = "the schedules are \(known.joined(separator: ", "))"
        }
        var fix: FixIt?
        if let guess, let literal, literal.isExact, FixIt.isPlainName(guess) {
            fix = FixIt(message: "replace with '\(guess)'", range: literal.range(of: 0..<literal.count), replacement: guess)
        }
        return Diagnostic(.E404, "no business-hours schedule named '\(name)'", file: file, range: range, help: help, fix: fix)
    }

    static func regexNotLiteral(_ argument: Expression, file: String) -> Diagnostic {
        Diagnostic(.E406, "the pattern given to matches() must be a string literal, like matches(x, \"^[0-9]+$\")",
                   file: file, range: argument.range)
    }

    /// A note points at the offending character when `literal` maps the pattern's characters.
    static func invalidRegex(_ error: PatternError, range: SourceRange, literal: ScalarSourceMap?, file: String) -> Diagnostic {
        var notes: [Note] = []
        if let literal, literal.isExact, error.offset <= literal.count {
            notes.append(Note("here", file: file, range: literal.range(of: error.offset..<min(error.offset + 1, literal.count))))
        }
        return Diagnostic(.E406, "invalid regex: \(error.message)", file: file, range: range, notes: notes)
    }
}
