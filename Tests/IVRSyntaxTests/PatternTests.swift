import Foundation
import Testing
@testable import IVRSyntax

@Suite struct PatternTests {
    /// (pattern, string, expected)
    static let table: [(String, String, Bool)] = [
        // Search semantics: a match anywhere, '^' and '$' anchor.
        ("abc", "abc", true), ("abc", "abcd", true), ("abc", "xabc", true), ("abc", "ab", false),
        ("b", "abc", true), ("^1", "123", true), ("^1$", "123", false), ("^\\+44", "+447700", true),
        ("^\\+44", "0+44", false), ("3$", "123", true), ("2$", "123", false), ("12", "1", false),
        ("", "", true), ("", "a", true), ("", "123", true), ("^", "x", true), ("$", "x", true), ("^$", "x", false),
        ("^abc$", "abc", true), ("^abc$", "abcd", false), ("^abc$", "xabc", false),
        ("^abc", "abcd", true), ("^abc", "xabc", false), ("abc$", "xabc", true), ("abc$", "abcx", false),
        ("10[01]", "100", true), ("10[01]", "1001", true), ("^10[01]$", "1001", false), ("10[01]", "1021", false),
        // Anchors inside alternations and groups.
        ("(^a|b$)", "axx", true), ("(^a|b$)", "xxb", true), ("(^a|b$)", "xax", false), ("(^a|b$)", "bxa", false),
        ("^a|b", "xbx", true), ("^(a|b)$", "ab", false), ("x(^a)", "xa", false), ("(a$)|(^b)", "ba", true),
        // Dot.
        ("a.c", "abc", true), ("a.c", "a#c", true), ("a.c", "a\nc", false), ("a.c", "ac", false),
        ("...", "é€x", true),
        // Classes.
        ("[abc]", "b", true), ("[abc]", "d", false), ("[a-z]+", "hello", true), ("[a-z]+", "Hello", true), ("^[a-z]+$", "Hello", false),
        ("[^0-9]", "a", true), ("[^0-9]", "5", false), ("[0-9*#]+", "12*#", true),
        ("[-a]", "-", true), ("[a-]", "-", true), ("[a\\-z]", "-", true), ("[a\\-z]", "b", false),
        ("[\\d#]+", "12#", true), ("[\\D]", "a", true), ("[\\D]", "1", false), ("[^\\d\\s]", "x", true),
        ("[.]", ".", true), ("[.]", "a", false), ("[\\]]", "]", true),
        ("[à-ï]", "é", true), ("[^à-ï]", "é", false),
        // Escapes.
        ("\\d+", "0123456789", true), ("\\d", "a", false), ("\\D", "a", true), ("\\w+", "a_Z9", true),
        ("\\W", "_", false), ("\\s", " ", true), ("\\S", " ", false), ("\\.", ".", true), ("\\.", "a", false),
        ("\\+44\\d+", "+4420", true), ("\\*", "*", true), ("\\#", "#", true), ("a\\\\b", "a\\b", true),
        ("\\t", "\t", true),
        // Groups and alternation.
        ("(ab)+", "ababab", true), ("(ab)+", "aba", true), ("^(ab)+$", "aba", false), ("(?:ab)+", "abab", true),
        ("a|b", "a", true), ("a|b", "b", true), ("a|b", "ab", true), ("^(a|b)$", "ab", false), ("ab|cd", "cd", true),
        ("a(b|c)d", "acd", true), ("a(b|c)d", "abcd", false), ("a|", "", true), ("(|a)b", "b", true),
        ("^1|2$", "2", true), ("()", "", true), ("(a|b)*c", "ababc", true),
        // Quantifiers.
        ("a?", "", true), ("a?", "a", true), ("a?", "aa", true), ("^a?$", "aa", false), ("a*", "", true), ("a*", "aaaa", true),
        ("a+", "", false), ("a+", "aaa", true), ("a{3}", "aaa", true), ("a{3}", "aa", false),
        ("a{2,}", "a", false), ("a{2,}", "aaaaa", true), ("a{2,3}", "aaa", true), ("a{2,3}", "aaaa", true), ("^a{2,3}$", "aaaa", false),
        ("a{0}", "", true), ("a{0,1}b", "b", true), ("[0-9]{6,10}", "12345", false), ("[0-9]{6,10}", "1234567", true),
        ("^10[01][0-9]$", "1005", true), ("^10[01][0-9]$", "1020", false), ("x{1000}", String(repeating: "x", count: 1000), true),
        ("(a*)*", "aaa", true), ("(a|aa)+", "aaaaa", true), ("(a?){3}a{3}", "aaa", true),
        // Literal braces that are not quantifiers stay errors; '}' alone is literal.
        ("a}", "a}", true), ("]", "]", true),
        // Anchors in odd places.
        ("a^b", "ab", false), ("a$b", "ab", false), ("(^a)", "a", true), ("a$|b", "a", true), ("$", "", true),
    ]

    @Test func matchTable() throws {
        for (source, input, expected) in Self.table {
            let pattern = try Pattern(source)
            #expect(pattern.matches(input) == expected, "\(source) on \(input.debugDescription)")
        }
    }

    /// (pattern, expected message fragment, expected offset)
    static let errors: [(String, String, Int)] = [
        ("(ab", "missing ')' to close '(' at character 1", 3),
        ("ab)", "unmatched ')'", 2),
        ("[ab", "missing ']'", 3),
        ("[]", "empty character class '[]'", 0),
        ("[^]", "empty character class '[^]'", 0),
        ("[z-a]", "range 'z-a' is out of order", 1),
        ("[\\d-z]", "cannot be the end of a range", 1),
        ("[a-\\d]", "cannot be the end of a range", 3),
        ("*a", "nothing to repeat before '*'", 0),
        ("a|+", "nothing to repeat before '+'", 2),
        ("(?)", "'(?' groups other than '(?:'", 0),
        ("{3}", "nothing to repeat before '{'", 0),
        ("^*", "'^' is not repeatable", 1),
        ("a{x}", "'{' does not start a quantifier", 1),
        ("a{2", "'{' does not start a quantifier", 1),
        ("a{,3}", "needs a minimum", 1),
        ("a{5,2}", "minimum above its maximum", 1),
        ("a{1001}", "repetition count in '{1001}' is more than the limit of 1000", 1),
        ("a{1,99999999999999999}", "repetition count in '{1,99999999999999999}' is more than the limit", 1),
        ("a**", "follows another quantifier", 2),
        ("a{2}{3}", "follows another quantifier", 4),
        ("a*?", "lazy quantifiers ('*?')", 2),
        ("a{2,3}?", "lazy quantifiers ('{2,3}?')", 6),
        ("a++", "possessive quantifiers", 2),
        ("(a)\\1", "backreferences ('\\1')", 3),
        ("\\k<x>", "named backreferences", 0),
        ("(?=a)", "lookahead assertions ('(?=')", 0),
        ("(?!a)", "lookahead assertions ('(?!')", 0),
        ("(?<=a)b", "lookbehind assertions ('(?<=')", 0),
        ("(?<!a)b", "lookbehind assertions ('(?<!')", 0),
        ("(?<n>a)", "named groups", 0),
        ("(?i)a", "'(?' groups other than '(?:'", 0),
        ("\\bword", "word boundary assertions ('\\b')", 0),
        ("\\Aa", "anchor '\\A'", 0),
        ("\\q", "unknown escape '\\q'", 0),
        ("ab\\", "lone '\\'", 2),
        ("(((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((a)))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))",
         "nested more than 64 deep", 64),
        ("((a{1000}){1000})", "too large", 10),
        ("(a{1000}|b{1000}){20}", "too large", 17),
    ]

    @Test func errorCases() {
        for (source, fragment, offset) in Self.errors {
            do {
                _ = try Pattern(source)
                Issue.record("\(source) compiled")
            } catch {
                #expect(error.message.contains(fragment), "\(source): \(error.message)")
                #expect(error.offset == offset, "\(source): offset \(error.offset) \(error.message)")
            }
        }
    }

    @Test func errorOffsetsCountUnicodeScalars() {
        #expect(throws: PatternError("unknown escape '\\q'", offset: 2)) { try Pattern("é€\\q") }
    }

    @Test func dtmfAlphabets() {
        #expect(Pattern.dtmfDigits.count == 10)
        #expect(Pattern.dtmfKeys == Pattern.dtmfDigits.union(["*", "#"]))
    }

    @Test func canBeginMatch() throws {
        let ext = try Pattern("^10[01][0-9]$")
        let digits = Pattern.dtmfDigits
        #expect(ext.canBeginMatch("", alphabet: digits))
        #expect(ext.canBeginMatch("1", alphabet: digits))
        #expect(ext.canBeginMatch("10", alphabet: digits))
        #expect(ext.canBeginMatch("101", alphabet: digits))
        #expect(ext.canBeginMatch("1019", alphabet: digits))
        #expect(!ext.canBeginMatch("2", alphabet: digits))
        #expect(!ext.canBeginMatch("102", alphabet: digits))
        #expect(!ext.canBeginMatch("10190", alphabet: digits))
        // The rest of the string must be over the alphabet.
        let letters = try Pattern("1[a-c]")
        #expect(letters.canBeginMatch("1", alphabet: ["a"]))
        #expect(!letters.canBeginMatch("1", alphabet: digits))
        // A '$' reached early blocks further keys.
        #expect(!(try Pattern("1$2")).canBeginMatch("1", alphabet: digits))
        #expect(!(try Pattern("^[0-9]{3}")).canBeginMatch("*", alphabet: Pattern.dtmfKeys))
        // Unanchored, the match may start after the prefix: any key begins one.
        #expect((try Pattern("[0-9]{3}")).canBeginMatch("*", alphabet: Pattern.dtmfKeys))
        #expect((try Pattern("10[01][0-9]")).canBeginMatch("2", alphabet: digits))
        #expect(!(try Pattern("^10[01][0-9]")).canBeginMatch("2", alphabet: digits))
        // Once '$' is fixed to the end, no key may follow the prefix's match.
        #expect(!(try Pattern("^1$")).canBeginMatch("12", alphabet: digits))
        #expect((try Pattern("1$")).canBeginMatch("12", alphabet: digits))
    }

    @Test func maxMatchLength() throws {
        let digits = Pattern.dtmfDigits
        #expect(try Pattern("^10[01][0-9]$").maxMatchLength(alphabet: digits) == 4)
        #expect(try Pattern("^[0-9]{6,10}$").maxMatchLength(alphabet: digits) == 10)
        #expect(try Pattern("^(1|23|456)$").maxMatchLength(alphabet: digits) == 3)
        #expect(try Pattern("^1$|^23$|^456$").maxMatchLength(alphabet: digits) == 3)
        #expect(try Pattern("^\\d+$").maxMatchLength(alphabet: digits) == nil)
        #expect(try Pattern("^(a*)*1$").maxMatchLength(alphabet: digits) == 1)  // 'a' is not a key
        #expect(try Pattern("^1(a|2)*$").maxMatchLength(alphabet: ["1"]) == 1)
        #expect(try Pattern("^(1|)*$").maxMatchLength(alphabet: digits) == nil)
        #expect(try Pattern("^()*5$").maxMatchLength(alphabet: digits) == 1)
        #expect(try Pattern("^$").maxMatchLength(alphabet: digits) == 0)
        #expect(try Pattern("x").maxMatchLength(alphabet: digits) == 0)
        #expect(try Pattern("^12$3*").maxMatchLength(alphabet: digits) == 2)
        #expect(try Pattern("^\\d{1000}$").maxMatchLength(alphabet: digits) == 1000)
        // Unanchored on either side, a match can be surrounded by more keys.
        #expect(try Pattern("").maxMatchLength(alphabet: digits) == nil)
        #expect(try Pattern("[0-9]{6,10}").maxMatchLength(alphabet: digits) == nil)
        #expect(try Pattern("^12").maxMatchLength(alphabet: digits) == nil)
        #expect(try Pattern("12$").maxMatchLength(alphabet: digits) == nil)
        #expect(try Pattern("12$3*").maxMatchLength(alphabet: digits) == nil)
    }

    @Test func minMatchLength() throws {
        let digits = Pattern.dtmfDigits
        #expect(try Pattern("").minMatchLength(alphabet: digits) == 0)
        #expect(try Pattern("12").minMatchLength(alphabet: digits) == 2)
        #expect(try Pattern("^1234").minMatchLength(alphabet: digits) == 4)
        #expect(try Pattern("^[0-9]{6,10}$").minMatchLength(alphabet: digits) == 6)
        #expect(try Pattern("(^12|3$)").minMatchLength(alphabet: digits) == 1)
        #expect(try Pattern("a|123").minMatchLength(alphabet: digits) == 3)  // 'a' is not a key
        #expect(try Pattern("x").minMatchLength(alphabet: digits) == nil)
        #expect(try Pattern("1$2").minMatchLength(alphabet: digits) == nil)
        #expect(try Pattern("\\d{1000}").minMatchLength(alphabet: digits) == 1000)
    }

    @Test func canMatchLengths() throws {
        let digits = Pattern.dtmfDigits
        let six = try Pattern("^[0-9]{6,10}$")
        #expect(six.canMatch(lengths: 1...6, alphabet: digits))
        #expect(six.canMatch(lengths: 10...16, alphabet: digits))
        #expect(!six.canMatch(lengths: 1...5, alphabet: digits))
        #expect(!six.canMatch(lengths: 11...32, alphabet: digits))
        #expect(!(try Pattern("[a-z]+")).canMatch(lengths: 1...32, alphabet: digits))
        let even = try Pattern("^(\\d\\d)+$")
        #expect(!even.canMatch(lengths: 3...3, alphabet: digits))
        #expect(even.canMatch(lengths: 3...4, alphabet: digits))
        #expect(!even.canMatch(lengths: 1_000_001...1_000_001, alphabet: digits))
        #expect(even.canMatch(lengths: 1_000_001...1_000_002, alphabet: digits))
        #expect(even.canMatch(lengths: Int.max - 1...Int.max, alphabet: digits))
        #expect((try Pattern("^$")).canMatch(lengths: 0...0, alphabet: digits))
        #expect(!(try Pattern("^$")).canMatch(lengths: 1...32, alphabet: digits))
        #expect((try Pattern("\\d{1000}")).canMatch(lengths: 1000...1000, alphabet: digits))
        #expect(!(try Pattern("\\d{1000}")).canMatch(lengths: 1...999, alphabet: digits))
    }

    /// A search matches a string when some part of it matches, so an
    /// unanchored pattern needs at least its shortest match, and allows more.
    @Test func canMatchLengthsOfASearch() throws {
        let digits = Pattern.dtmfDigits
        let twelve = try Pattern("12")
        #expect(!twelve.canMatch(lengths: 1...1, alphabet: digits))
        #expect(!twelve.canMatch(lengths: 0...1, alphabet: digits))
        #expect(twelve.canMatch(lengths: 2...2, alphabet: digits))
        #expect(twelve.canMatch(lengths: 1...32, alphabet: digits))
        #expect(twelve.canMatch(lengths: 32...32, alphabet: digits))
        let startsWithOne = try Pattern("^1")
        #expect(startsWithOne.canMatch(lengths: 3...3, alphabet: digits))
        #expect(startsWithOne.canMatch(lengths: 20...32, alphabet: digits))
        #expect(!startsWithOne.canMatch(lengths: 0...0, alphabet: digits))
        #expect((try Pattern("")).canMatch(lengths: 0...0, alphabet: digits))
        #expect((try Pattern("")).canMatch(lengths: 7...7, alphabet: digits))
        // Unanchored, "(\\d\\d)+" is found in any string of two digits or more.
        #expect((try Pattern("(\\d\\d)+")).canMatch(lengths: 3...3, alphabet: digits))
        // Anchored at both ends the length is fixed.
        #expect(!(try Pattern("^[0-9]{4}$")).canMatch(lengths: 6...10, alphabet: digits))
        // Anchored at one end, the other end is free.
        #expect((try Pattern("[0-9]{4}$")).canMatch(lengths: 6...10, alphabet: digits))
        #expect(!(try Pattern("[0-9]{12}$")).canMatch(lengths: 6...10, alphabet: digits))
        // '#' is not a key of this alphabet, so a pattern that needs it never matches.
        #expect(!(try Pattern("[0-9]{3}#")).canMatch(lengths: 1...32, alphabet: digits))
        // Anchors inside an alternation: each branch on its own.
        let either = try Pattern("(^12|34$)")
        #expect(!either.canMatch(lengths: 1...1, alphabet: digits))
        #expect(either.canMatch(lengths: 2...2, alphabet: digits))
        #expect(!(try Pattern("(^1$|^23$)")).canMatch(lengths: 3...32, alphabet: digits))
    }

    @Test func pathologicalPatternsRunInLinearTime() throws {
        let long = String(repeating: "a", count: 10_000)
        let nested = try Pattern("(a*)*b")
        let star = try Pattern("(a*)*")
        let ambiguous = try Pattern("(a|aa)*b")
        let optional = try Pattern("(a?){30}a{30}")
        let dots = try Pattern("(.*)*a(.*)*")
        let anchoredNested = try Pattern("^(a+)+$")
        let doubled = try Pattern("(x+x+)+y")
        let counted = try Pattern("a{0,100}b")
        let clock = ContinuousClock()
        var results: [Bool] = []
        let elapsed = clock.measure {
            results = [
                nested.matches(long), star.matches(long), ambiguous.matches(long),
                optional.matches(String(repeating: "a", count: 29)), optional.matches(String(repeating: "a", count: 30)),
                dots.matches(long), anchoredNested.matches(long + "b"), doubled.matches(String(repeating: "x", count: 10_000)),
                counted.matches(long), counted.matches(long + "b"),
            ]
        }
        #expect(results == [false, true, false, false, true, true, false, false, false, true])
        // About 0.1 s in a debug build; backtracking would take longer than
        // the universe has. The bound is loose so a loaded CI cannot trip it.
        #expect(elapsed < .seconds(10))
    }

    @Test func hugeLiteralPatternIsRejected() {
        #expect(throws: PatternError.self) { try Pattern(String(repeating: "1", count: 30_000)) }
    }

    /// Random junk over the pattern alphabet never traps; whatever compiles
    /// answers every query.
    @Test func randomPatternsNeverTrap() {
        var rng = SplitMix(seed: 42)
        let pieces = Array("ab01#*.|()[]^$-?+{},\\dws:=!<")
        var compiled = 0
        for _ in 0..<3000 {
            let length = Int(rng.next() % 12)
            let source = String((0..<length).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] })
            guard let pattern = try? Pattern(source) else { continue }
            compiled += 1
            _ = pattern.matches("ab01#")
            _ = pattern.canBeginMatch("0", alphabet: Pattern.dtmfKeys)
            _ = pattern.maxMatchLength(alphabet: Pattern.dtmfKeys)
            _ = pattern.minMatchLength(alphabet: Pattern.dtmfKeys)
            _ = pattern.canMatch(lengths: 1...32, alphabet: Pattern.dtmfKeys)
        }
        #expect(compiled > 100)
    }

    /// Differential test against Foundation's (backtracking ICU) engine on
    /// random small patterns and strings: both search, and must agree
    /// whenever both compile (no input ends with a line break, where ICU's
    /// `$` would also match).
    @Test func agreesWithFoundationRegex() throws {
        var rng = SplitMix(seed: 7)
        let pieces = ["a", "b", "0", "1", ".", "|", "(", ")", "[ab]", "[^a]", "[0-1]", "*", "+", "?", "{2}", "{1,2}", "{0,}",
                      "\\d", "\\D", "^", "$", "(?:"]
        let inputs = ["", "a", "b", "0", "1", "ab", "ba", "aa", "01", "a0b1", "aab", "0011", "abab", "1a1a1", "bbbb"]
        var compared = 0
        for _ in 0..<4000 {
            let source = (0..<Int(rng.next() % 7)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            guard let ours = try? Pattern(source),
                  let theirs = try? NSRegularExpression(pattern: source) else { continue }
            compared += 1
            for input in inputs {
                let range = NSRange(input.startIndex..., in: input)
                let expected = theirs.firstMatch(in: input, range: range) != nil
                #expect(ours.matches(input) == expected, "\(source) on \(input.debugDescription)")
            }
        }
        #expect(compared > 1000)
    }

    /// The automaton queries agree with brute-force enumeration of every
    /// string over {0, 1} up to length 7.
    @Test func queriesAgreeWithEnumeration() {
        var rng = SplitMix(seed: 99)
        let pieces = ["0", "1", "2", ".", "|", "(", ")", "[01]", "*", "+", "?", "{2}", "{0,3}", "^", "$", "\\d"]
        var strings: [String] = [""]
        var frontier = [""]
        for _ in 0..<7 {
            frontier = frontier.flatMap { [$0 + "0", $0 + "1"] }
            strings += frontier
        }
        let alphabet: Set<Character> = ["0", "1"]
        var checked = 0
        for _ in 0..<1500 {
            let source = (0..<Int(rng.next() % 8)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            guard let pattern = try? Pattern(source) else { continue }
            checked += 1
            let matched = strings.filter(pattern.matches)
            let longest = matched.map(\.count).max()
            if let shortest = matched.map(\.count).min() {
                #expect(pattern.minMatchLength(alphabet: alphabet) == shortest, "\(source)")
            } else if let min = pattern.minMatchLength(alphabet: alphabet) {
                #expect(min > 7, "\(source)")
            }
            let max = pattern.maxMatchLength(alphabet: alphabet)
            if let max {
                #expect(max <= 7, "\(source)")
                #expect(max == (longest ?? 0), "\(source)")
            } else {
                #expect((longest ?? 0) >= 6, "\(source) is unbounded, so some long string matches")
            }
            for n in 0...7 {
                let expected = matched.contains { $0.count == n }
                #expect(pattern.canMatch(lengths: n...n, alphabet: alphabet) == expected, "\(source) length \(n)")
            }
            #expect(pattern.canMatch(lengths: 0...100, alphabet: alphabet) == !matched.isEmpty, "\(source)")
            for prefix in ["", "0", "1", "01", "11", "010"] {
                let witnessed = matched.contains { $0.hasPrefix(prefix) }
                let answer = pattern.canBeginMatch(prefix, alphabet: alphabet)
                if witnessed { #expect(answer, "\(source) prefix \(prefix)") }
                if max != nil, !witnessed { #expect(!answer, "\(source) prefix \(prefix)") }
            }
        }
        #expect(checked > 500)
    }
}

/// A small deterministic generator for the fuzz tests.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
