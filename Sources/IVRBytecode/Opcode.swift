import IVRSyntax

/// What one operand of an instruction is, and so how it is encoded and verified.
/// Every integer is an unsigned LEB128 (see docs/bytecode.md).
public enum OperandKind: Sendable, Equatable {
    /// A plain unsigned integer (milliseconds, counts, flags).
    case uint
    /// A string-pool index.
    case string
    /// 0 for none, else a string-pool index + 1.
    case optString
    /// An index into the flow's variable table.
    case variable
    /// 0 for none, else a variable index + 1.
    case optVariable
    /// An index into the flow's attempt counters.
    case slot
    /// A code offset inside the flow; must start an instruction.
    case label
    /// A DTMF key, 0-9, 10 = `*`, 11 = `#`.
    case key
    /// 0 for none, else a key + 1.
    case optKey
    /// Interpolated text: a count, then parts `(index << 1) | isVariable`.
    case text
    /// 0 for none, else interpolated text follows (as `.text`).
    case optText
    /// An index into the flow table.
    case flow
    /// A destination kind (0 number, 1 extension, 2 sip, 3 conference, 4 group, 5 app).
    case destination
    /// A condition tree in prefix form (see `ExpressionCode`).
    case expression
}

/// The shared opcode table: the encoder, the verifier, the disassembler and the
/// interpreter all read it, so they cannot drift apart. One comment line per opcode.
public enum Opcode: UInt8, Sendable, CaseIterable {
    case node = 0x01, jump, hangup, say, play, queueSay, queuePlay, set
    case menu, attemptReset, ifRetry, waitKey, extendKeys, waitDigits, onTimeout, onKey
    case onExtension, invalid, retry, accept, back, top, resume, transfer
    case transferKeyed, gotoFlow, webhook, record, branchIfFalse

    /// Name, operands and the one-line description of every opcode.
    public var info: (name: String, operands: [OperandKind], comment: String) {
        switch self {
        case .node: ("NODE", [.string], "enter the named node: it joins the visited path")
        case .jump: ("JUMP", [.label], "continue at label")
        case .hangup: ("HANGUP", [], "the flow hangs up; the call ends")
        case .say: ("SAY", [.text, .optString, .optString], "speak text now (voice, language; none: the call's)")
        case .play: ("PLAY", [.string, .optString], "play an audio file now (file, transcript)")
        case .queueSay: ("QSAY", [.text, .optString, .optString], "queue spoken text as the next wait's prompt")
        case .queuePlay: ("QPLAY", [.string, .optString], "queue an audio file as the next wait's prompt")
        case .set: ("SET", [.variable, .text], "variable = interpolated text")
        case .menu: ("MENU", [.slot], "enter a menu: push it on the back stack, attempt = 1")
        case .attemptReset: ("ATTEMPT1", [.slot], "enter a capture: attempt = 1")
        case .ifRetry: ("IFRETRY", [.slot, .label], "jump when attempt > 1 (to the short prompt)")
        case .waitKey: ("WAITKEY", [.uint], "play the queued prompt (barge-in) and wait timeout ms for one key")
        case .extendKeys: ("EXTEND", [.string, .uint], "key begins a match of pattern: collect more digits (inter-digit ms)")
        case .waitDigits:
            ("WAITDIGITS", [.uint, .uint, .optKey, .uint, .uint, .optString, .uint],
             "collect digits: min, max, terminator, timeout, inter-digit, pattern, flags (1 = sensitive)")
        case .onTimeout: ("ONTIMEOUT", [.label], "jump when the last wait heard nothing")
        case .onKey: ("ONKEY", [.key, .label], "jump when the last input is exactly this key")
        case .onExtension: ("ONEXT", [.string, .label], "jump when the last input matches the pattern")
        case .invalid: ("INVALID", [], "report the last input as invalid")
        case .retry: ("RETRY", [.slot, .uint, .label], "attempt < attempts: attempt += 1 and jump; else fall through")
        case .accept: ("ACCEPT", [.variable, .label], "last capture valid: store it and fall through; else jump")
        case .back: ("BACK", [.uint], "return to the previous menu (1: leave the current menu first)")
        case .top: ("TOP", [], "clear the back stack and restart at the flow's start node")
        case .resume: ("RESUME", [], "re-enter the most recent menu (a `repeat` outside any menu)")
        case .transfer:
            ("TRANSFER", [.destination, .text, .optText, .uint, .optString, .label],
             "transfer (kind, value, caller-id, ring ms, allow); on failure jump")
        case .transferKeyed: ("XFERKEYED", [.label], "transfer to the extension just keyed; on failure jump")
        case .gotoFlow: ("GOTOFLOW", [.flow], "continue the call in another flow (ivr:)")
        case .webhook:
            ("WEBHOOK", [.uint, .text, .optText, .uint, .optVariable, .label],
             "HTTP request (0 GET, 1 POST; url, JSON body, timeout ms, into); on error jump")
        case .record: ("RECORD", [.variable, .uint, .uint, .optKey, .uint], "record into (max ms, beep, finish-on, silence ms)")
        case .branchIfFalse: ("BRANCHF", [.expression, .label], "jump when the condition is false")
        }
    }

    public var name: String { info.name }
    public var operands: [OperandKind] { info.operands }

    /// Opcodes after which control never falls through to the next instruction.
    public var endsBlock: Bool {
        switch self {
        case .jump, .hangup, .back, .top, .resume, .gotoFlow: true
        default: false
        }
    }
}

/// DTMF keys as operand values: `DTMFKey.code` (0-9, 10 = `*`, 11 = `#`).
public enum KeyCode {
    public static func encode(_ key: Character) -> UInt64 {
        UInt64(DTMFKey(rawValue: key)?.code ?? 0)
    }

    public static func decode(_ code: UInt64) -> Character? {
        code < 12 ? DTMFKey(code: Int(code))?.character : nil
    }
}

/// Where a transfer goes: the destination kinds of a `transfer` step other
/// than `ivr` (which continues in another flow). The operand value of a kind
/// is its position here, in the order of `Destination.Kind`.
public enum DestinationKind: String, Sendable, CaseIterable {
    case number
    case `extension`
    case sip
    case conference
    case group
    case app

    /// The kind numbered `code` (its operand value), or nil.
    public init?(code: Int) {
        guard Self.allCases.indices.contains(code) else { return nil }
        self = Self.allCases[code]
    }

    /// The operand value.
    public var code: Int { Self.allCases.firstIndex(of: self) ?? 0 }
}
