import IVRBytecode

/// How a transfer connects the caller: `BRIDGEOPT` and `BRIDGEMEDIA` set
/// the next transfer's `via` and bridge options; the transfer takes them
/// and resolves `via` against the bundle's `sip.transfer` (flow-language 5.3).
extension CallVM {
    mutating func setBridge(_ instruction: Instruction) {
        var pending = (via: pendingBridge?.via ?? 0, options: pendingBridge?.options ?? BridgeOptions())
        switch instruction {
        case let .bridgeOptions(via, confirm, confirmTimeout, record, maxDuration, ringback):
            let tone = RingbackTone(rawValue: BridgeCode.tones[Int(min(ringback, UInt64(BridgeCode.tones.count - 1)))]) ?? .us
            pending = (via, BridgeOptions(ringback: .tone(tone), confirm: BridgeCode.decodeConfirm(confirm),
                                          confirmTimeout: Int(confirmTimeout), record: record == 1,
                                          maxDuration: maxDuration == 0 ? nil : Int(maxDuration)))
        case .bridgeMedia(let role):
            let media = takePrompts()
            if role == BridgeCode.whisperRole {
                pending.options.whisper = media
            } else {
                pending.options.ringback = .media(media)
            }
        default:
            return
        }
        pendingBridge = PendingBridge(via: pending.via, options: pending.options)
    }

    /// Fills the request's `via` and `bridge` from what was set, and clears it.
    mutating func takeBridge(into request: inout TransferRequest) {
        let pending = pendingBridge
        pendingBridge = nil
        let named = BridgeCode.decodeVia(pending?.via ?? 0) ?? bundle.sipSettings.transfer
        request.via = named.flatMap(TransferVia.init(rawValue:)) ?? .refer
        if let pending { request.bridge = pending.options }
    }
}

/// A transfer's `via` operand (0: the manifest's) and bridge options, as
/// `BRIDGEOPT` and `BRIDGEMEDIA` set them. Never changed once made (a
/// machine copied keeps its own: a new one replaces it).
final class PendingBridge: Sendable {
    let via: UInt64
    let options: BridgeOptions

    init(via: UInt64, options: BridgeOptions) {
        self.via = via
        self.options = options
    }
}
