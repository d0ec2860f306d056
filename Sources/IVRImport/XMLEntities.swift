/// References in XML text (`&amp;`, `&#233;`, `&name;`) and the general
/// entities a document's DOCTYPE declares, expanded within bounds: an entity
/// that refers to itself, nests deeper than `depthLimit` or makes the
/// document's expansions pass `budget` bytes (a billion laughs) is refused,
/// not expanded. External entities are never read.
struct XMLEntities {
    /// What expansions may add to a whole document, in bytes.
    static let budget = 1 << 20
    static let depthLimit = 16
    static let tooFar = "entities refer to themselves or expand too far (refused, not expanded)"

    /// Why a reference could not be expanded (placed by the caller).
    struct Problem: Error {
        var detail: String
    }

    private enum Declared {
        case text([UInt8])
        case external
    }

    private var declared: [String: Declared] = [:]
    private var active: Set<String> = []
    private var expanded = 0

    /// Binds `name` to its replacement text (the first declaration counts).
    mutating func declare(_ name: String, text: ArraySlice<UInt8>) {
        if declared[name] == nil { declared[name] = .text(Array(text)) }
    }

    /// Binds `name` to an external entity, which is never read.
    mutating func declareExternal(_ name: String) {
        if declared[name] == nil { declared[name] = .external }
    }

    /// Expands the reference starting with `&` at `start` in `bytes` onto
    /// `out`; returns the offset after its `;`. In an attribute value, white
    /// space from an entity becomes a space and `<` is refused.
    mutating func expand(in bytes: [UInt8], at start: Int, into out: inout [UInt8], attribute: Bool) throws(Problem) -> Int {
        try expand(in: bytes, at: start, into: &out, attribute: attribute, depth: 0)
    }

    private mutating func expand(in bytes: [UInt8], at start: Int, into out: inout [UInt8], attribute: Bool,
                                 depth: Int) throws(Problem) -> Int {
        var i = start + 1
        guard let semicolon = bytes[i...].prefix(64).firstIndex(of: UInt8(ascii: ";")) else {
            throw Problem(detail: "'&' starts no reference ('&amp;' is a literal '&')")
        }
        let body = bytes[i..<semicolon]
        i = semicolon + 1
        if body.first == UInt8(ascii: "#") {
            guard let scalar = Self.characterReference(body.dropFirst()) else {
                throw Problem(detail: "a character reference names no XML character")
            }
            try add(String(Character(scalar)).utf8, to: &out)
            return i
        }
        let name = String(decoding: body, as: UTF8.self)
        guard let first = body.first, XMLCursor.startsName(first),
              body.allSatisfy({ XMLCursor.startsName($0) || XMLCursor.continuesName($0) }) else {
            throw Problem(detail: "'&' starts no reference ('&amp;' is a literal '&')")
        }
        switch name {
        case "lt": try add(UInt8(ascii: "<"), to: &out)
        case "gt": try add(UInt8(ascii: ">"), to: &out)
        case "amp": try add(UInt8(ascii: "&"), to: &out)
        case "apos": try add(UInt8(ascii: "'"), to: &out)
        case "quot": try add(UInt8(ascii: "\""), to: &out)
        default: try replace(name, into: &out, attribute: attribute, depth: depth)
        }
        return i
    }

    /// A declared entity's replacement text, its own references expanded.
    private mutating func replace(_ name: String, into out: inout [UInt8], attribute: Bool, depth: Int) throws(Problem) {
        switch declared[name] {
        case nil: throw Problem(detail: "the entity '\(name)' is not declared")
        case .external: throw Problem(detail: "the entity '\(name)' is external (not read)")
        case .text(let text):
            guard depth < Self.depthLimit, !active.contains(name) else { throw Problem(detail: Self.tooFar) }
            active.insert(name)
            defer { active.remove(name) }
            var i = 0
            while i < text.count {
                let byte = text[i]
                if byte == UInt8(ascii: "&") {
                    i = try expand(in: text, at: i, into: &out, attribute: attribute, depth: depth + 1)
                    continue
                }
                if attribute && byte == UInt8(ascii: "<") {
                    throw Problem(detail: "'<' is not allowed in an attribute value")
                }
                try add(attribute && XMLCursor.isSpace(byte) ? 0x20 : byte, to: &out)
                i += 1
            }
        }
    }

    private mutating func add(_ byte: UInt8, to out: inout [UInt8]) throws(Problem) {
        expanded += 1
        guard expanded <= Self.budget else { throw Problem(detail: Self.tooFar) }
        out.append(byte)
    }

    private mutating func add(_ produced: some Collection<UInt8>, to out: inout [UInt8]) throws(Problem) {
        expanded += produced.count
        guard expanded <= Self.budget else { throw Problem(detail: Self.tooFar) }
        out.append(contentsOf: produced)
    }

    /// `123` or `x7B` (after the `#`) as a character XML allows.
    static func characterReference(_ digits: ArraySlice<UInt8>) -> Unicode.Scalar? {
        let hex = digits.first == UInt8(ascii: "x")
        let text = String(decoding: hex ? digits.dropFirst() : digits, as: UTF8.self)
        guard !text.isEmpty, text.count <= 8, text.allSatisfy({ hex ? $0.isHexDigit : $0.isASCII && $0.isNumber }),
              let value = UInt32(text, radix: hex ? 16 : 10), let scalar = Unicode.Scalar(value) else { return nil }
        let allowed = value == 0x9 || value == 0xA || value == 0xD || (0x20...0xD7FF).contains(value)
            || (0xE000...0xFFFD).contains(value) || value >= 0x10000
        return allowed ? scalar : nil
    }
}
