/// A telephone keypad key.
public enum DTMFKey: Character, Sendable, CaseIterable, Comparable {
    case d0 = "0", d1 = "1", d2 = "2", d3 = "3", d4 = "4"
    case d5 = "5", d6 = "6", d7 = "7", d8 = "8", d9 = "9"
    case star = "*", hash = "#"

    public static let star_ = DTMFKey.star

    /// Reads `0`-`9`, `*`, `#` and the aliases `star`, `hash`, `pound`.
    public init?(spelling: String) {
        switch spelling {
        case "star": self = .star
        case "hash", "pound": self = .hash
        default:
            guard spelling.count == 1, let key = DTMFKey(rawValue: spelling.first!) else { return nil }
            self = key
        }
    }

    public var isDigit: Bool { self != .star && self != .hash }

    public var character: Character { rawValue }

    /// Keypad order: 1-9, 0, *, #... sorted by the order a person reads a keypad: 0-9, *, #.
    public static func < (a: DTMFKey, b: DTMFKey) -> Bool {
        a.order < b.order
    }

    private var order: Int {
        switch self {
        case .star: 10
        case .hash: 11
        default: Int(String(rawValue))!
        }
    }
}
