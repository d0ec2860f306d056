import Testing
import IVRSyntax

@Suite struct ExpressionEvaluatorTests {
    static let variables: [String: String] = [
        "tier": "gold", "account": "007", "digits": "42", "caller": "+442071234567",
        "empty": "", "customer.tier": "silver", "word": "abc", "neg": "-3.5",
        "big": "9007199254740993", "card": "4111111111111111119", "padded": "0009007199254740993",
        "huge": "1234567890123456789012345", "negHuge": "-1234567890123456789012345", "price": "19.990",
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
        ("matches(account, \"^[0-9]{3}$\")", true), ("matches(account, \"[0-9]{2}\")", true),
        ("matches(account, \"^[0-9]{2}$\")", false), ("matches('abc', 'b')", true), ("matches('123', '^1')", true),
        ("matches('123', '^1$')", false), ("matches(caller, \"^\\\\+44\")", true), ("matches(caller, '^\\+1')", false),
        ("matches(caller, '4567$')", true), ("matches(caller, '(^1|7$)')", true), ("matches('', '')", true),
        ("matches(account, \"(\")", false),
        ("num(account) == 7", true), ("num(word) == 0", true), ("num(neg) < -3", true), ("num(\"1e3\") == 0", true),
        ("open(\"support\")", true), ("open('sales')", false), ("not open(\"support\")", false),
        ("nosuch(tier)", false), ("len(tier, tier)", false), ("len() == 0", false),
    ])
    func evaluates(text: String, expected: Bool) {
        #expect(eval(text) == .bool(expected), "\(text)")
    }

    /// Numbers compare as exact decimals: beyond 2^53 (where doubles would
    /// call these equal), with leading zeros, signs and fractions.
    @Test(arguments: [
        // 16-25 digits: neighbours that one double cannot tell apart.
        ("big > 9007199254740992", true), ("big == 9007199254740992", false), ("big != 9007199254740992", true),
        ("big == 9007199254740993", true), ("big < 9007199254740994", true), ("big >= 9007199254740993", true),
        ("\"9007199254740993\" > 9007199254740992", true), ("9007199254740992 < big", true),
        ("card == 4111111111111111119", true), ("card > 4111111111111111118", true), ("card < 4111111111111111120", true),
        ("card == 4111111111111111120", false),
        ("huge == 1234567890123456789012345", true), ("huge > 1234567890123456789012344", true),
        ("huge < 1234567890123456789012346", true), ("huge > 999999999999999999999999", true),
        ("huge < 12345678901234567890123450", true), ("num(huge) == 1234567890123456789012345", true),
        ("num(huge) > num(card)", true), ("len(huge) == 25", true),
        // Leading zeros and explicit signs.
        ("account == 7", true), ("\"007\" == 7", true), ("\"007\" == \"7\"", false), ("padded == big", false),
        ("padded == 9007199254740993", true), ("padded > 9007199254740992", true), ("\"+7\" == 7", true),
        ("\"-0\" == 0", true), ("\"0.0\" == 0", true), ("\"-0.0\" >= 0", true),
        // Negative numbers.
        ("negHuge < -1234567890123456789012344", true), ("negHuge > -1234567890123456789012346", true),
        ("negHuge == -1234567890123456789012345", true), ("negHuge < 0", true), ("negHuge < neg", true),
        ("\"-10\" < -9", true), ("-9 > \"-10\"", true), ("\"-9007199254740993\" < -9007199254740992", true),
        // Decimals, also long ones.
        ("price == 19.99", true), ("price < 20", true), ("price > 19.989", true), ("price >= \"19.99000\"", true),
        ("\"2.50\" == 2.5", true), ("\"0.1\" < 0.10000000000000001", true), ("\"0.5\" > 0.25", true),
        ("\"0.25\" < 0.3", true), ("\"1.05\" < 1.5", true), ("\"-0.5\" < -0.25", true), ("\"-1.5\" < -1.05", true), ("\"-1.05\" < -1.5", false),
        ("9007199254740993.5 > big", true), ("num(\"9007199254740993.0\") == big", true), ("\"9007199254740993.0\" == big", false),
    ])
    func exactNumbers(text: String, expected: Bool) {
        #expect(eval(text) == .bool(expected), "\(text)")
    }

    @Test func exactNumberNormalizes() throws {
        #expect(ExactNumber("007")?.description == "7")
        #expect(ExactNumber("-0.0")?.description == "0")
        #expect(ExactNumber("+19.990")?.description == "19.99")
        #expect(ExactNumber("-000123456789012345678901234.5000")?.description == "-123456789012345678901234.5")
        #expect(ExactNumber("1e3") == nil)
        #expect(ExactNumber(9007199254740992.0).description == "9007199254740992")
        #expect(ExactNumber(1e20).description == "100000000000000000000")
        #expect(ExactNumber(1.25e-7).description == "0.000000125")
        #expect(ExactNumber(0.1).description == "0.1")
        #expect(ExactNumber(-3.5).description == "-3.5")
        #expect(ExactNumber(Double.nan) == .zero)
        #expect(ExactNumber(Int.min).description == "-9223372036854775808")
        let sorted: [ExactNumber] = ["-10", "-9.5", "-9", "-0.25", "0", "0.1", "0.25", "9", "10", "9007199254740993"]
            .compactMap { ExactNumber($0) }
        #expect(sorted.count == 10)
        for (a, b) in zip(sorted, sorted.dropFirst()) {
            #expect(a < b, "\(a) < \(b)")
            #expect(!(b < a), "\(b) < \(a)")
        }
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
