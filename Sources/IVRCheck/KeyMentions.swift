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
///
/// Text is read as UTF-8 bytes, each token classified on the spot (see
/// `KeyMentionTokens`); text with non-ASCII characters takes the slower
/// path through `Character`s, whose letters and digits are Unicode's.
struct KeyMentions {
    /// The advertised keys, in order of appearance, without repeats.
    private(set) var advertisedKeys = KeySet()
    private var order: UInt64 = 0
    private var orderCount = 0
    private(set) var mentioned = KeySet()
    /// The previous token, when it was a key ("2" waiting for "for").
    private var pendingKey: UInt8?
    /// Inside a run after a trigger ("press 1, 2 or 3"), and whether a key may come next.
    private var inTrigger = false
    private var expectKey = false

    init(_ text: String) {
        var tokens: [UInt8] = []
        self.init(text, tokens: &tokens)
    }

    /// `tokens` is scratch space, reused between texts (used for text with non-ASCII characters).
    init(_ text: String, tokens: inout [UInt8]) {
        KeyMentionTokens.classify(text, into: &self, scratch: &tokens)
    }

    /// Reads the next token. The tokens are read once, in order: a key
    /// followed by "for" is advertised when "for" comes, a key in a trigger's
    /// run (fillers skipped, separators between keys) as it comes.
    mutating func feed(_ token: UInt8) {
        if let key = pendingKey {
            if token == KeyMentionTokens.for { advertise(key) }
            pendingKey = nil
        }
        if inTrigger {
            if token == KeyMentionTokens.filler {
                // stays in the run
            } else if expectKey, token < KeyMentionTokens.keyCount {
                advertise(token)
                expectKey = false
            } else if !expectKey, token == KeyMentionTokens.separator {
                expectKey = true
            } else {
                inTrigger = false
            }
        }
        if token < KeyMentionTokens.keyCount {
            mentioned.insert(bit: Int(token))
            pendingKey = token
        } else if token == KeyMentionTokens.trigger {
            inTrigger = true
            expectKey = true
        }
    }

    private mutating func advertise(_ token: UInt8) {
        guard advertisedKeys.insert(bit: Int(token)) else { return }
        order |= UInt64(token) << UInt64(4 * orderCount)
        orderCount += 1
    }

    /// The advertised keys in order of appearance.
    var advertised: [DTMFKey] {
        (0..<orderCount).map { KeySet.keys[Int((order >> UInt64(4 * $0)) & 15)] }
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

/// A set of DTMF keys, one bit each.
struct KeySet: Equatable {
    private(set) var bits: UInt16 = 0

    /// Every key, in the order of its bit (`DTMFKey.code`).
    static let keys: [DTMFKey] = DTMFKey.allCases.sorted()

    static func bit(_ key: DTMFKey) -> Int { key.code }

    func contains(_ key: DTMFKey) -> Bool { bits & (1 << UInt16(Self.bit(key))) != 0 }
    mutating func insert(_ key: DTMFKey) { bits |= 1 << UInt16(Self.bit(key)) }

    /// Adds key number `bit`; returns whether it was new.
    @discardableResult
    mutating func insert(bit: Int) -> Bool {
        let mask: UInt16 = 1 << UInt16(bit)
        defer { bits |= mask }
        return bits & mask == 0
    }

    mutating func formUnion(_ other: KeySet) { bits |= other.bits }
    func isSubset(of other: KeySet) -> Bool { bits & ~other.bits == 0 }
}
