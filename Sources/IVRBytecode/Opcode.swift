import IVRSyntax

/// The opcodes: byte, name and one comment line each (Lua's `lopcodes.h`).
/// Their operands are declared once, by the `Instruction` case of each
/// opcode; the encoder, the decoder, the verifier, the disassembler and the
/// interpreter all work on `Instruction`, so they cannot drift apart.
public enum Opcode: UInt8, Sendable, CaseIterable {
    case node = 0x01, jump, hangup, say, play, queueSay, queuePlay, set
    case menu, attemptReset, ifRetry, waitKey, extendKeys, waitDigits, onTimeout, onKey
    case onExtension, invalid, retry, accept, back, top, resume, transfer
    case transferKeyed, gotoFlow, webhook, record, branchIfFalse, bridgeOptions, bridgeMedia, waitCallee

    /// Name and the one-line description of every opcode (its operands
    /// are declared by its `Instruction` case).
    var nameAndComment: (name: String, comment: String) {
        switch self {
        case .node: ("NODE", "enter the named node: it joins the visited path")
        case .jump: ("JUMP", "continue at label")
        case .hangup: ("HANGUP", "the flow hangs up; the call ends")
        case .say: ("SAY", "speak text now (voice, language; none: the call's)")
        case .play: ("PLAY", "play an audio file now (file, transcript)")
        case .queueSay: ("QSAY", "queue spoken text as the next wait's prompt")
        case .queuePlay: ("QPLAY", "queue an audio file as the next wait's prompt")
        case .set: ("SET", "variable = interpolated text")
        case .menu: ("MENU", "enter a menu: push it on the back stack, attempt = 1")
        case .attemptReset: ("ATTEMPT1", "enter a capture: attempt = 1")
        case .ifRetry: ("IFRETRY", "jump when attempt > 1 (to the short prompt)")
        case .waitKey: ("WAITKEY", "play the queued prompt (barge-in) and wait timeout ms for one key")
        case .extendKeys: ("EXTEND", "key begins a match of pattern: collect more digits (inter-digit ms)")
        case .waitDigits: ("WAITDIGITS", "collect digits: min, max, terminator, timeout, inter-digit, pattern, flags (1 = sensitive)")
        case .onTimeout: ("ONTIMEOUT", "jump when the last wait heard nothing")
        case .onKey: ("ONKEY", "jump when the last input is exactly this key")
        case .onExtension: ("ONEXT", "jump when the last input matches the pattern")
        case .invalid: ("INVALID", "report the last input as invalid")
        case .retry: ("RETRY", "attempt < attempts: attempt += 1 and jump; else fall through")
        case .accept: ("ACCEPT", "last capture valid: store it and fall through; else jump")
        case .back: ("BACK", "return to the previous menu (1: leave the current menu first)")
        case .top: ("TOP", "clear the back stack and restart at the flow's start node")
        case .resume: ("RESUME", "re-enter the most recent menu (a `repeat` outside any menu)")
        case .transfer: ("TRANSFER", "transfer (kind, value, caller-id, ring ms, allow); on failure jump")
        case .transferKeyed: ("XFERKEYED", "transfer to the extension just keyed; on failure jump")
        case .gotoFlow: ("GOTOFLOW", "continue the call in another flow (ivr:)")
        case .webhook: ("WEBHOOK", "HTTP request (0 GET, 1 POST; url, JSON body, timeout ms, into); on error jump")
        case .record: ("RECORD", "record into (max ms, beep, finish-on, silence ms)")
        case .branchIfFalse: ("BRANCHF", "jump when the condition is false")
        case .bridgeOptions: ("BRIDGEOPT", "the next TRANSFER's connection: via (0 manifest, 1 refer, 2 bridge, 3 auto), confirm key (0 none, else 1 + its place in 0-9 * # A-D), confirm ms, record, max ms (0 none), ringback tone (0 us, 1 uk, 2 eu, 3 jp)")
        case .bridgeMedia: ("BRIDGEMEDIA", "move the queued prompt into the next TRANSFER's bridge (role 0 ringback, 1 whisper)")
        case .waitCallee: ("WAITCALLEE", "wait for the callee's beep (0) or a second of silence (1), at most timeout ms")
        }
    }

    /// Name, operands and the one-line description (docs/bytecode.md's table).
    public var info: (name: String, operands: [OperandKind], comment: String) {
        let (name, comment) = nameAndComment
        return (name, operands, comment)
    }

    public var name: String { nameAndComment.name }
    /// The operand kinds, in order, as the opcode's `Instruction` case declares them.
    public var operands: [OperandKind] { Instruction.operandKinds(of: self) }

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
