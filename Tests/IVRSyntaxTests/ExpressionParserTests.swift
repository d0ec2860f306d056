import Testing
import IVRSyntax

typealias Loc = IVRSyntax.SourceLocation

@Suite struct ExpressionParserTests {
    static let origin = Loc(line: 1, column: 1, offset: 0)

    func parse(_ text: String, origin: Loc = origin) -> Expression? {
        try? ExpressionParser.parse(text, origin: origin).get()
    }

    func error(_ text: String, origin: Loc = origin) -> ExpressionSyntaxError? {
        if case .failure(let e) = ExpressionParser.parse(text, origin: origin) { return e }
        return nil
    }

    /// Location helper: line, column, offset.
    func at(_ line: Int, _ column: Int, _ offset: Int) -> Loc {
        Loc(line: line, column: column, offset: offset)
    }

    @Test(arguments: [
        ("x", "x"),
        ("customer.tier == \"gold\"", "(customer.tier == \"gold\")"),
        ("a == 1 or b == 2 and c == 3", "((a == 1) or ((b == 2) and (c == 3)))"),
        ("a or b or c", "((a or b) or c)"),
        ("a and b and c", "((a and b) and c)"),
        ("not a == 1", "not (a == 1)"),
        ("not not x", "not not x"),
        ("not a and b", "(not a and b)"),
        ("(a or b) and c", "((a or b) and c)"),
        ("((x))", "x"),
        ("len(account) >= 6", "(len(account) >= 6)"),
        ("starts_with(caller, '+44')", "starts_with(caller, \"+44\")"),
        ("matches(x, \"^\\d{4}$\")", "matches(x, \"^\\\\d{4}$\")"),
        ("open(\"support\") and not open('holidays')", "(open(\"support\") and not open(\"holidays\"))"),
        ("f()", "f()"),
        ("f(a, g(b, c), 1.5)", "f(a, g(b, c), 1.5)"),
        ("x != 'it\\'s'", "(x != \"it's\")"),
        ("x == \"say \\\"hi\\\"\"", "(x == \"say \\\"hi\\\"\")"),
        ("n < -3", "(n < -3)"),
        ("n <= 2.25", "(n <= 2.25)"),
        ("n > 007", "(n > 7)"),
        ("true or false", "(true or false)"),
        ("account-number == 'x'", "(account-number == \"x\")"),
        ("\n  a ==\n  1\n", "(a == 1)"),
        ("x == 1 and (y == 2 or z)", "((x == 1) and ((y == 2) or z))"),
    ])
    func parsesWithPrecedence(text: String, expected: String) {
        #expect(parse(text)?.description == expected, "\(text)")
    }

    @Test func rangesAreExactInFileCoordinates() throws {
        // The text starts at line 4, column 9, byte 57 of the file.
        let origin = at(4, 9, 57)
        let e = try #require(parse("x == \"é\" and len(y) > 2", origin: origin))
        guard case .binary(.and, let left, let right, let whole) = e,
              case .binary(.equal, let x, let literal, let leftRange) = left,
              case .binary(.greater, let call, let two, let rightRange) = right,
              case .call(let name, let args, let callRange) = call else {
            Issue.record("unexpected shape \(e)")
            return
        }
        #expect(x.range == SourceRange(start: at(4, 9, 57), end: at(4, 10, 58)))
        // "é" is one column but two bytes.
        #expect(literal.range == SourceRange(start: at(4, 14, 62), end: at(4, 17, 66)))
        #expect(leftRange == SourceRange(start: at(4, 9, 57), end: at(4, 17, 66)))
        #expect(name.range == SourceRange(start: at(4, 22, 71), end: at(4, 25, 74)))
        #expect(args.first?.range == SourceRange(start: at(4, 26, 75), end: at(4, 27, 76)))
        #expect(callRange == SourceRange(start: at(4, 22, 71), end: at(4, 28, 77)))
        #expect(two.range == SourceRange(start: at(4, 31, 80), end: at(4, 32, 81)))
        #expect(rightRange == SourceRange(start: at(4, 22, 71), end: at(4, 32, 81)))
        #expect(whole == SourceRange(start: at(4, 9, 57), end: at(4, 32, 81)))
    }

    @Test func rangesFollowNewlines() throws {
        // "a == 1 and\n    b == 2": b is on the next line, column 5.
        let e = try #require(parse("a == 1 and\n    b == 2", origin: at(2, 7, 20)))
        guard case .binary(.and, _, let right, let whole) = e else {
            Issue.record("unexpected shape \(e)")
            return
        }
        #expect(right.range == SourceRange(start: at(3, 5, 35), end: at(3, 11, 41)))
        #expect(whole.end == at(3, 11, 41))
        #expect(e.variables.map(\.value) == ["a", "b"])
        #expect(e.variables[1].range.start == at(3, 5, 35))
    }

    @Test func parenthesesWidenTheParentButNotTheNode() throws {
        let e = try #require(parse("not (a)"))
        guard case .unary(.not, let inner, let range) = e else {
            Issue.record("unexpected shape \(e)")
            return
        }
        #expect(inner.range == SourceRange(start: at(1, 6, 5), end: at(1, 7, 6)))
        #expect(range == SourceRange(start: at(1, 1, 0), end: at(1, 8, 7)))
    }

    /// (text, message fragment, start column, end column) on line 1.
    static let errors: [(String, String, Int, Int)] = [
        ("", "expected a condition, found nothing", 1, 1),
        ("   ", "expected a condition", 4, 4),
        ("(a == 1", "expected ')' to close '(' at 1:1, but the condition ends", 8, 8),
        ("x == (a or b", "expected ')' to close '(' at 1:6", 13, 13),
        ("(a == 1 b", "expected ')' to close '(' at 1:1, found 'b'", 9, 10),
        ("a = 1", "unexpected '=' — did you mean '=='?", 3, 4),
        ("a && b", "unexpected '&&' — did you mean 'and'?", 3, 5),
        ("a || b", "did you mean 'or'?", 3, 5),
        ("!a", "did you mean 'not' or '!='?", 1, 2),
        ("a <> b", "did you mean '!='?", 3, 5),
        ("a => b", "did you mean '>='?", 3, 5),
        ("a == 1)", "unmatched ')'", 7, 8),
        ("a == ", "expected a value after '==', but the condition ends", 6, 6),
        ("a and", "expected a value after 'and'", 6, 6),
        ("a < b < c", "comparisons cannot be chained; join them with 'and'", 7, 8),
        ("a b", "expected an operator such as '==', 'and' or 'or' before 'b'", 3, 4),
        ("a == 1 AND b == 2", "did you mean 'and'? (keywords are lowercase)", 8, 11),
        ("x == True", "unknown name 'True' — did you mean 'true'?", 6, 10),
        ("x == \"gold", "unterminated string", 6, 11),
        ("len(x", "expected ',' or ')' to close the call to 'len' at 1:4", 6, 6),
        ("len(x y)", "expected ',' or ')' to close the call to 'len'", 7, 8),
        ("f(a,)", "expected a value, a variable or a function call, found ')'", 5, 6),
        ("customer.tier(1)", "'customer.tier' cannot be called", 1, 14),
        ("a == and", "found 'and'", 6, 9),
        ("a + 1", "unexpected '+'; conditions have no arithmetic", 3, 4),
        ("a.", "expected a field name after '.'", 1, 3),
        ("x == 1 ; y", "unexpected ';'", 8, 9),
        ("()", "found ')'", 2, 3),
    ]

    @Test func errorsNameTheProblemAndPointAtIt() {
        for (text, fragment, start, end) in Self.errors {
            guard let e = error(text) else {
                Issue.record("\(text.debugDescription) parsed")
                continue
            }
            #expect(e.message.contains(fragment), "\(text.debugDescription): \(e.message)")
            #expect(e.range.start.line == 1 && e.range.start.column == start && e.range.end.column == end,
                    "\(text.debugDescription): \(e.range)")
        }
    }

    @Test func errorsAreInFileCoordinatesToo() throws {
        let e = try #require(error("a == 1 and\n  (b", origin: at(7, 11, 100)))
        #expect(e.message == "expected ')' to close '(' at 8:3, but the condition ends")
        #expect(e.range == SourceRange(at: at(8, 5, 115)))
        let d = e.diagnostic(file: "flows/main.yaml")
        #expect(d.code == .E402)
        #expect(d.file == "flows/main.yaml")
        #expect(d.range == e.range)
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let parens = String(repeating: "(", count: 10_000) + "x" + String(repeating: ")", count: 10_000)
        #expect(error(parens)?.message.contains("nested more than") == true)
        let nots = String(repeating: "not ", count: 10_000) + "x"
        #expect(error(nots)?.message.contains("nested more than") == true)
        let chain = Array(repeating: "a", count: 5_000).joined(separator: " and ")
        #expect(error(chain)?.message.contains("too complex") == true)
        let ok = Array(repeating: "a", count: 60).joined(separator: " or ")
        #expect(parse(ok) != nil)
    }

    @Test func randomInputNeverTraps() {
        var rng = SplitMix(seed: 3)
        let pieces = ["a", "b.c", "1", "2.5", "\"s\"", "'t'", "(", ")", ",", "==", "!=", "<", ">=", "and", "or", "not",
                      "len", "open", "=", "!", "&", "é", "\n", " ", "\\", "\""]
        var parsed = 0
        for _ in 0..<5000 {
            let text = (0..<Int(rng.next() % 9)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined(separator: " ")
            if case .success(let e) = ExpressionParser.parse(text, origin: Self.origin) {
                parsed += 1
                // Every node lies inside the text.
                #expect(e.range.start.offset >= 0 && e.range.end.offset <= text.utf8.count)
            }
        }
        #expect(parsed > 200)
    }
}
