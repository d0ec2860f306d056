import IVRSyntax

/// A typed operand: the Swift type an `Instruction` case holds for one
/// operand kind. Its kind decides how it is encoded, decoded and verified
/// (`Operand`, `ByteReader.operand`); the case's associated values, in
/// order, are the instruction's operands.
public protocol OperandValue: Sendable, Equatable {
    static var kind: OperandKind { get }
    /// Any value of the type (the kind walk needs one; it is never encoded).
    static var placeholder: Self { get }
    /// The value of an untyped operand; nil when it is of another kind.
    init?(_ operand: Operand)
    /// The untyped operand.
    var operand: Operand { get }
}

/// A typed operand that also comes as an optional operand kind
/// (`optString`, `optVariable`, `optKey`, `optText`).
public protocol OptionalOperandValue: OperandValue {
    static var optionalKind: OperandKind { get }
    static func optionalOperand(_ value: Self?) -> Operand
    /// `.some(value)` when `operand` is of the optional kind.
    static func fromOptional(_ operand: Operand) -> Self??
}

extension Optional: OperandValue where Wrapped: OptionalOperandValue {
    public static var kind: OperandKind { Wrapped.optionalKind }
    public static var placeholder: Self { nil }
    public init?(_ operand: Operand) {
        guard let value = Wrapped.fromOptional(operand) else { return nil }
        self = value
    }
    public var operand: Operand { Wrapped.optionalOperand(self) }
}

/// `uint`: milliseconds, counts, flags.
extension UInt64: OperandValue {
    public static var kind: OperandKind { .uint }
    public static var placeholder: UInt64 { 0 }
    public init?(_ operand: Operand) {
        guard case .uint(let v) = operand else { return nil }
        self = v
    }
    public var operand: Operand { .uint(self) }
}

/// A typed operand that is an index into one of the tables (strings,
/// variables, attempt counters, flows) or a code offset: its operand is
/// the number under its kind.
public protocol IndexOperandValue: OperandValue, Hashable {
    var index: Int { get }
    init(_ index: Int)
}

extension IndexOperandValue {
    public static var placeholder: Self { Self(0) }
    public init?(_ operand: Operand) {
        guard let i = operand.index(of: Self.kind) else { return nil }
        self.init(i)
    }
    public var operand: Operand { Operand(index: index, kind: Self.kind) }
}

/// An index operand that also comes as "0 for none, else index + 1".
extension OptionalOperandValue where Self: IndexOperandValue {
    public static func optionalOperand(_ value: Self?) -> Operand { Operand(index: value?.index, kind: optionalKind) }
    public static func fromOptional(_ operand: Operand) -> Self?? {
        guard let i = operand.optionalIndex(of: optionalKind) else { return nil }
        return .some(i.map(Self.init))
    }
}

/// `string` / `optString`: an index into the string pool.
public struct StringRef: IndexOperandValue, OptionalOperandValue {
    public var index: Int
    public init(_ index: Int) { self.index = index }
    public static var kind: OperandKind { .string }
    public static var optionalKind: OperandKind { .optString }
}

/// `variable` / `optVariable`: an index into the flow's variable table.
public struct VariableRef: IndexOperandValue, OptionalOperandValue {
    public var index: Int
    public init(_ index: Int) { self.index = index }
    public static var kind: OperandKind { .variable }
    public static var optionalKind: OperandKind { .optVariable }
}

/// `slot`: an index into the flow's attempt counters.
public struct SlotRef: IndexOperandValue {
    public var index: Int
    public init(_ index: Int) { self.index = index }
    public static var kind: OperandKind { .slot }
}

/// `flow`: an index into the flow table.
public struct FlowRef: IndexOperandValue {
    public var index: Int
    public init(_ index: Int) { self.index = index }
    public static var kind: OperandKind { .flow }
}

/// `label`: a code offset inside the flow, the start of an instruction
/// (the assembler holds its own label numbers here until layout).
public struct JumpTarget: IndexOperandValue {
    public var offset: Int
    public init(_ offset: Int) { self.offset = offset }
    public var index: Int { offset }
    public static var kind: OperandKind { .label }
}

/// `text` / `optText`: interpolated text, constants and variables.
public struct CodeText: OptionalOperandValue {
    public var parts: [TextPart]
    public init(_ parts: [TextPart]) { self.parts = parts }

    public static var kind: OperandKind { .text }
    public static var optionalKind: OperandKind { .optText }
    public static var placeholder: CodeText { CodeText([]) }
    public init?(_ operand: Operand) {
        guard case .text(let p) = operand else { return nil }
        parts = p
    }
    public var operand: Operand { .text(parts) }
    public static func optionalOperand(_ value: CodeText?) -> Operand { .optText(value?.parts) }
    public static func fromOptional(_ operand: Operand) -> CodeText?? {
        guard case .optText(let p) = operand else { return nil }
        return .some(p.map(CodeText.init))
    }
}

/// `key` / `optKey`.
extension DTMFKey: OptionalOperandValue {
    public static var kind: OperandKind { .key }
    public static var optionalKind: OperandKind { .optKey }
    public static var placeholder: DTMFKey { .d0 }
    public init?(_ operand: Operand) {
        guard case .key(let k) = operand, let key = DTMFKey(rawValue: k) else { return nil }
        self = key
    }
    public var operand: Operand { .key(character) }
    public static func optionalOperand(_ value: DTMFKey?) -> Operand { .optKey(value?.character) }
    public static func fromOptional(_ operand: Operand) -> DTMFKey?? {
        guard case .optKey(let k) = operand else { return nil }
        guard let k else { return .some(nil) }
        return DTMFKey(rawValue: k).map { .some($0) }
    }
}

/// `destination`.
extension DestinationKind: OperandValue {
    public static var kind: OperandKind { .destination }
    public static var placeholder: DestinationKind { .number }
    public init?(_ operand: Operand) {
        guard case .destination(let d) = operand else { return nil }
        self.init(code: d)
    }
    public var operand: Operand { .destination(code) }
}

/// `expression`: a `branch.if` condition.
extension CodeExpression: OperandValue {
    public static var kind: OperandKind { .expression }
    public static var placeholder: CodeExpression { .bool(false) }
    public init?(_ operand: Operand) {
        guard case .expression(let e) = operand else { return nil }
        self = e
    }
    public var operand: Operand { .expression(self) }
}
