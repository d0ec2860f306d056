/// A JSON value with the 1-based line and column it starts at, so that
/// importers can name the source position of what they report.
struct PositionedJSON: Sendable {
    indirect enum Value: Sendable {
        case null
        case bool(Bool)
        case number(String)
        case string(String)
        case array([PositionedJSON])
        case object([(key: String, value: PositionedJSON)])
    }

    var value: Value
    var line: Int
    var column: Int

    subscript(key: String) -> PositionedJSON? {
        guard case .object(let pairs) = value else { return nil }
        return pairs.last { $0.key == key }?.value
    }

    var string: String? {
        if case .string(let s) = value { return s }
        return nil
    }

    /// A string, or a number or boolean written as text.
    var text: String? {
        switch value {
        case .string(let s): s
        case .number(let n): n
        case .bool(let b): b ? "true" : "false"
        default: nil
        }
    }

    /// A whole number, written as a number or a string of digits.
    var int: Int? {
        guard let t = text else { return nil }
        if let i = Int(t) { return i }
        return Double(t).flatMap { $0.isFinite && abs($0) < 1e9 ? Int($0) : nil }
    }

    var bool: Bool? {
        switch value {
        case .bool(let b): b
        case .string(let s): s.lowercased() == "true" ? true : s.lowercased() == "false" ? false : nil
        default: nil
        }
    }

    var array: [PositionedJSON]? {
        if case .array(let items) = value { return items }
        return nil
    }

    var isObject: Bool {
        if case .object = value { return true }
        return false
    }

    var pairs: [(key: String, value: PositionedJSON)] {
        if case .object(let pairs) = value { return pairs }
        return []
    }

    /// What kind of value this is, for messages.
    var kindName: String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "a list"
        case .object: "an object"
        }
    }
}
