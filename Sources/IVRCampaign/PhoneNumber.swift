/// E.164 numbers as flow-language.md 5.3 writes them: `+` and 8-15 digits.
public enum PhoneNumber {
    public static func isE164(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard u.first == UInt8(ascii: "+"), (9...16).contains(u.count) else { return false }
        return u.dropFirst().allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
}
