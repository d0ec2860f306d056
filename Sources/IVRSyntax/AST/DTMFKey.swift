/// A telephone keypad key.
public enum DTMFKey: Character, Sendable, CaseIterable, Comparable {
    case d0 = "0", d1 = "1", d2 = "2", d3 = "3", d4 = "4"
    case d5 = "5", d6 = "6", d7 = "7", d8 = "8", d9 = "9"
    case star = "*", hash = "#"

    public static let star_ = DTMFKey.star

    /// Reads `0`-`9`, `*`, `#` and the aliases `star`, `hash`, `pound`.
    public init?(spelling: String) {
        // On bytes: one ASCII byte is the only spelling of a one-key character.
        var text = spelling
        let key: DTMFKey? = text.withUTF8 { bytes in
            switch bytes.count {
            case 1:
                switch bytes[0] {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): DTMFKey.digits[Int(bytes[0] - UInt8(ascii: "0"))]
                case UInt8(ascii: "*"): .star
                case UInt8(ascii: "#"): .hash
                default: nil
                }
            case 4: bytes.elementsEqual("star".utf8) ? .star : bytes.elementsEqual("hash".utf8) ? .hash : nil
            case 5: bytes.elementsEqual("pound".utf8) ? .hash : nil
            default: nil
            }
        }
        guard let key else { return nil }
        self = key
    }

    private static let digits: [DTMFKey] = [.d0, .d1, .d2, .d3, .d4, .d5, .d6, .d7, .d8, .d9]
    private static let byCode: [DTMFKey] = digits + [.star, .hash]

    /// The key numbered `code` (see `code`), or nil outside 0...11.
    public init?(code: Int) {
        guard DTMFKey.byCode.indices.contains(code) else { return nil }
        self = DTMFKey.byCode[code]
    }

    public var isDigit: Bool { self != .star && self != .hash }

    public var character: Character { rawValue }

    /// Sorted by the order a person reads a keypad: 0-9, *, #.
    public static func < (a: DTMFKey, b: DTMFKey) -> Bool {
        a.code < b.code
    }

    /// The key's number, the one numbering every part of ivrc uses (bundle
    /// operands, key sets): 0-9, then 10 for `*` and 11 for `#`.
    public var code: Int {
        switch self {
        case .d0: 0
        case .d1: 1
        case .d2: 2
        case .d3: 3
        case .d4: 4
        case .d5: 5
        case .d6: 6
        case .d7: 7
        case .d8: 8
        case .d9: 9
        case .star: 10
        case .hash: 11
        }
    }
}
