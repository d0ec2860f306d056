import Testing
import IVRSyntax

@Suite struct ExpressionEvaluatorTests {
    static let variables: [String: String] = [
        "tier": "gold", "account": "007", "digits": "42", "caller": "+442071234567",
        "empty": "", "customer.tier": "silver", "word": "abc", "neg": "-3.5",
    ]

    func eval(_ text: String, open: Set<String> = ["support"]) -> ExpressionEvaluator.Value? {
        guard case .success(let e) = ExpressionParser.parse(text, origin: .start) else { return nil }
        return ExpressionEvaluator.evaluate(e, lookup: { Self.variables[$0] }, open: { open.contains($0) })
    }

    @Test(arguments: [
        // Strings and variables.
        ("tier == \"gold\"", true), ("tier == 'Gold'", false), ("tier != \"gold\"", false),
        ("customer.tier == 'silver'", true), ("unset == \"\"", true), ("unset == 0", false),
        // Numbers and numeric strings.
        ("account == 7", true), ("account == \"7\"", false), ("account == 7.0", true), ("7 == account", true),
        ("digits > 41", true), ("digits >= 42", true), ("digits < 42", false), ("digits <= 42.0", true),
        ("neg < 0", true), ("account < digits", true), ("\"10\" > \"9\"", true),
        ("word > 1", false), ("word < 1", false), ("word == 1", false), ("word != 1", true),
        ("empty < 1", false), ("unset > -1", false), ("caller > 0", true), ("1.5 < 2", true),
        // Booleans and logic.
        ("true", true), ("false", false), ("true == true", true), ("true == \"true\"", false),
        ("not false", true), ("tier == 'gold' and digits > 40", true), ("tier == 'x' or digits > 40", true),
        ("tier == 'x' or digits > 50", false), ("not (tier == 'gold') or false", false),
        ("not tier == 'gold'", false),
        // Truthiness of non-booleans (rejected by the checker, but never a trap).
        ("tier and 1", true), ("empty or 0", false), ("not empty", true),
        // Functions.
        ("len(tier) == 4", true), ("len(unset) == 0", true), ("len(\"é€\") == 2", true), ("len(42) == 2", true),
        ("starts_with(caller, \"+44\")", true), ("starts_with(caller, '+1')", false),
        ("matches(account, \"^[0-9]{3}$\")", true), ("matches(account, \"[0-9]{2}\")", false),
        ("matches(account, \"(\")", false),
        ("num(account) == 7", true), ("num(word) == 0", true), ("num(neg) < -3", true), ("num(\"1e3\") == 0", true),
        ("open(\"support\")", true), ("open('sales')", false), ("not open(\"support\")", false),
        ("nosuch(tier)", false), ("len(tier, tier)", false), ("len() == 0", false),
    ])
    func evaluates(text: String, expected: Bool) {
        #expect(eval(text) == .bool(expected), "\(text)")
    }

    @Test func valuesOfNonBooleanExpressions() {
        #expect(eval("len(word)") == .number(3))
        #expect(eval("num(neg)") == .number(-3.5))
        #expect(eval("tier") == .string("gold"))
        #expect(eval("unset") == .string(""))
        #expect(eval("2.50") == .number(2.5))
        #expect(ExpressionEvaluator.Value.number(42).text == "42")
        #expect(ExpressionEvaluator.Value.number(2.5).text == "2.5")
        #expect(ExpressionEvaluator.Value.bool(true).text == "true")
    }

    @Test func orAndShortCircuit() throws {
        let e = try ExpressionParser.parse("open('a') or open('b')", origin: .start).get()
        var asked: [String] = []
        _ = ExpressionEvaluator.evaluate(e, lookup: { _ in nil }, open: { asked.append($0); return true })
        #expect(asked == ["a"])
        let f = try ExpressionParser.parse("open('a') and open('b')", origin: .start).get()
        asked = []
        _ = ExpressionEvaluator.evaluate(f, lookup: { _ in nil }, open: { asked.append($0); return false })
        #expect(asked == ["a"])
    }

    @Test(arguments: [
        ("42", 42.0), ("-3.5", -3.5), ("+7", 7.0), ("007", 7.0), ("0.25", 0.25),
    ])
    func numericStrings(text: String, value: Double) {
        #expect(ExpressionEvaluator.numericValue(of: text) == value)
    }

    @Test(arguments: ["", "-", "1.", ".5", "1e3", " 4", "4 ", "abc", "1.2.3", "0x10", "inf", "nan", "١٢"])
    func nonNumericStrings(text: String) {
        #expect(ExpressionEvaluator.numericValue(of: text) == nil)
    }
}
