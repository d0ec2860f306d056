import Testing
import IVRSyntax

@Suite struct SuggestionTests {
    @Test func editDistances() {
        #expect(editDistance("", "") == 0)
        #expect(editDistance("abc", "") == 3)
        #expect(editDistance("", "ab") == 2)
        #expect(editDistance("kitten", "sitting") == 3)
        #expect(editDistance("flaw", "lawn") == 2)
        #expect(editDistance("starts_with", "startswith") == 1)
        #expect(editDistance("len", "len") == 0)
        #expect(editDistance("café", "cafe") == 1)
        #expect(editDistance("abc", "cba") == editDistance("cba", "abc"))
        #expect(editDistance("salse", "sales") == 1)  // neighbours swapped
        #expect(editDistance("ab", "ba") == 1)
        #expect(editDistance("ca", "abc") == 3)  // optimal string alignment: no edit of a swapped pair
    }

    @Test func closestMatchSuggestsOnlyPlausibleTypos() {
        let functions = ["open", "len", "starts_with", "matches", "num"]
        #expect(closestMatch(to: "startswith", in: functions) == "starts_with")
        #expect(closestMatch(to: "matchs", in: functions) == "matches")
        #expect(closestMatch(to: "match", in: functions) == "matches")  // 2 edits, but the beginning of one name
        #expect(closestMatch(to: "mat", in: functions) == nil)  // too short to be a beginning
        #expect(closestMatch(to: "inter-digit", in: ["timeout", "inter-digit-timeout"]) == "inter-digit-timeout")
        #expect(closestMatch(to: "time", in: ["timeout", "timezone"]) == nil)  // the beginning of two names
        #expect(closestMatch(to: "salse", in: ["main-menu", "sales"]) == "sales")  // one swap
        #expect(closestMatch(to: "lenn", in: functions) == "len")
        #expect(closestMatch(to: "opn", in: functions) == "open")
        #expect(closestMatch(to: "length", in: functions) == nil)
        #expect(closestMatch(to: "xyz", in: functions) == nil)
        #expect(closestMatch(to: "anything", in: []) == nil)
        #expect(closestMatch(to: "len", in: functions) == nil)  // it exists: nothing to suggest
        #expect(closestMatch(to: "Sales", in: ["support", "sales"]) == "sales")
        #expect(closestMatch(to: "supprot", in: Set(["support"])) == "support")
    }

    @Test func thresholdScalesWithLength() {
        // 9 characters allow 3 edits, 3 characters allow 1.
        #expect(closestMatch(to: "timeoutxx", in: ["timeout"]) == "timeout")
        #expect(closestMatch(to: "abc", in: ["axy"]) == nil)
        #expect(closestMatch(to: "abc", in: ["abx"]) == "abx")
    }

    @Test func tiesGoToTheFirstCandidate() {
        #expect(closestMatch(to: "cat", in: ["bat", "cap"]) == "bat")
        #expect(closestMatch(to: "cat", in: ["cap", "bat"]) == "cap")
        #expect(closestMatch(to: "cat", in: ["bat", "cat"]) == "bat")
    }
}
