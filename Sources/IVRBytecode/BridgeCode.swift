/// The numbers of a bridge's operands (`BRIDGEOPT`, `BRIDGEMEDIA`).
public enum BridgeCode {
    /// `via`: 0 is "the manifest's `sip.transfer`" (resolved at run time).
    public static let vias = ["manifest", "refer", "bridge", "auto"]
    /// Ringback tones, by operand value.
    public static let tones = ["us", "uk", "eu", "jp"]
    /// The keys a callee may press to confirm; operand value = position + 1 (0: none).
    public static let confirmKeys: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "#", "A", "B", "C", "D"]
    /// `BRIDGEMEDIA` roles.
    public static let ringbackRole: UInt64 = 0, whisperRole: UInt64 = 1

    /// The `via` operand of a step's `via` (`refer`, `bridge`, `auto`; nil: 0, the manifest's).
    public static func encodeVia(_ name: String?) -> UInt64 {
        name.flatMap { vias.firstIndex(of: $0) }.map { UInt64($0) } ?? 0
    }

    /// The `via` an operand names; nil for 0 (the manifest's) or out of range.
    public static func decodeVia(_ code: UInt64) -> String? {
        code >= 1 && code < UInt64(vias.count) ? vias[Int(code)] : nil
    }

    public static func encodeConfirm(_ key: Character?) -> UInt64 {
        key.flatMap { confirmKeys.firstIndex(of: $0) }.map { UInt64($0 + 1) } ?? 0
    }

    public static func decodeConfirm(_ code: UInt64) -> Character? {
        code >= 1 && code <= UInt64(confirmKeys.count) ? confirmKeys[Int(code) - 1] : nil
    }
}
