import IVRSyntax

/// The keys a prompt's text tells the caller about.
///
/// `advertised` is strict (for W104, which reports a key the prompt offers
/// but the menu lacks): a key right after "press", "dial" or "push" (a list
/// such as "press 1, 2 or 3", fillers "the", "key", "button" allowed), or
/// a key followed by "for" ("2 for delivery"). Keys are digits, the words
/// zero..nine, star/asterisk/`*` and pound/hash/`#`.
///
/// `mentioned` is lenient (for W105, which reports an option no prompt
/// mentions): any standalone key word or digit anywhere in the text.
struct KeyMentions {
    private(set) var advertised: [DTMFKey] = []
    private(set) var mentioned = Set<DTMFKey>()

    static let words: [String: DTMFKey] = [
        "zero": .d0, "one": .d1, "two": .d2, "three": .d3, "four": .d4, "five": .d5, "six": .d6,
        "seven": .d7, "eight": .d8, "nine": .d9, "star": .star, "asterisk": .star, "*": .star,
        "pound": .hash, "hash": .hash, "#": .hash,
    ]
    static let triggers: Set<String> = ["press", "dial", "push"]
    static let fillers: Set<String> = ["the", "key", "button"]
    static let separators: Set<String> = [",", "or", "and"]

    init(_ text: String) {
        let tokens = Self.tokens(text.lowercased())
        var i = 0
        while i < tokens.count {
            let token = tokens[i]
            if let key = Self.key(token) {
                mentioned.insert(key)
                if i + 1 < tokens.count, tokens[i + 1] == "for" { advertise(key) }
            }
            if Self.triggers.contains(token) {
                var j = i + 1
                var expectKey = true
                while j < tokens.count {
                    let t = tokens[j]
                    if Self.fillers.contains(t) {
                        j += 1
                    } else if expectKey, let key = Self.key(t) {
                        advertise(key)
                        expectKey = false
                        j += 1
                    } else if !expectKey, Self.separators.contains(t) {
                        expectKey = true
                        j += 1
                    } else {
                        break
                    }
                }
            }
            i += 1
        }
    }

    private mutating func advertise(_ key: DTMFKey) {
        if !advertised.contains(key) { advertised.append(key) }
    }

    static func key(_ token: String) -> DTMFKey? {
        if token.count == 1, let c = token.first, c.isASCII, c.isNumber { return DTMFKey(rawValue: c) }
        return words[token]
    }

    /// Words of letters, digits and hyphens, and `*`, `#`, `,` as tokens of their own.
    static func tokens(_ text: String) -> [String] {
        var out: [String] = []
        var word = ""
        for c in text {
            // A hyphen joins words: "4-digit" and "1-800" are not keys.
            if c.isLetter || c.isNumber || c == "'" || c == "-" {
                word.append(c)
                continue
            }
            if !word.isEmpty { out.append(word); word = "" }
            if c == "*" || c == "#" || c == "," { out.append(String(c)) }
            if c == "." || c == ";" || c == ":" || c == "!" || c == "?" { out.append(".") }
        }
        if !word.isEmpty { out.append(word) }
        return out
    }

    /// The text of a media step: say text, or a play's transcript (nil without one).
    static func text(of media: Step) -> Located<String>? {
        switch media.kind {
        case .say(let say): Located(say.text.value.raw, say.text.range)
        case .play(let play): play.transcript
        default: nil
        }
    }
}
