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

/// `string` / `optString`: an index into the string pool.
public struct StringRef: OptionalOperandValue, Hashable {
    public var index: Int
    public init(_ index: Int) { self.index = index }

    public static var kind: OperandKind { .string }
    public static var optionalKind: OperandKind { .optString }
    public static var placeholder: StringRef { StringRef(0) }
    public init?(_ operand: Operand) {
        guard case .string(let i) = operand else { return nil }
        index = i
    }
    public var operand: Operand { .string(index) }
    public static func optionalOperand(_ value: StringRef?) -> Operand { .optString(value?.index) }
    public static func fromOptional(_ operand: Operand) -> StringRef?? {
        guard case .optString(let i) = operand else { return nil }
        return .some(i.map(StringRef.init))
    }
}

/// `variable` / `optVariable`: an index into the flow's variable table.
public struct VariableRef: OptionalOperandValue, Hashable {
    public var index: Int
    public init(_ index: Int) { self.index = index }

    public static var kind: OperandKind { .variable }
    public static var optionalKind: OperandKind { .optVariable }
    public static var placeholder: VariableRef { VariableRef(0) }
    public init?(_ operand: Operand) {
        guard case .variable(let i) = operand else { return nil }
        index = i
    }
    public var operand: Operand { .variable(index) }
    public static func optionalOperand(_ value: VariableRef?) -> Operand { .optVariable(value?.index) }
    public static func fromOptional(_ operand: Operand) -> VariableRef?? {
        guard case .optVariable(let i) = operand else { return nil }
        return .some(i.map(VariableRef.init))
    }
}

/// `slot`: an index into the flow's attempt counters.
public struct SlotRef: OperandValue, Hashable {
    public var index: Int
    public init(_ index: Int) { self.index = index }

    public static var kind: OperandKind { .slot }
    public static var placeholder: SlotRef { SlotRef(0) }
    public init?(_ operand: Operand) {
        guard case .slot(let i) = operand else { return nil }
        index = i
    }
    public var operand: Operand { .slot(index) }
}

/// `label`: a code offset inside the flow, the start of an instruction
/// (the assembler holds its own label numbers here until layout).
public struct JumpTarget: OperandValue, Hashable {
    public var offset: Int
    public init(_ offset: Int) { self.offset = offset }

    public static var kind: OperandKind { .label }
    public static var placeholder: JumpTarget { JumpTarget(0) }
    public init?(_ operand: Operand) {
        guard case .label(let o) = operand else { return nil }
        offset = o
    }
    public var operand: Operand { .label(offset) }
}

/// `flow`: an index into the flow table.
public struct FlowRef: OperandValue, Hashable {
    public var index: Int
    public init(_ index: Int) { self.index = index }

    public static var kind: OperandKind { .flow }
    public static var placeholder: FlowRef { FlowRef(0) }
    public init?(_ operand: Operand) {
        guard case .flow(let i) = operand else { return nil }
        index = i
    }
    public var operand: Operand { .flow(index) }
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
