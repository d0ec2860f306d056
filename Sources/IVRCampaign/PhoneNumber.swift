import IVRCheck

/// E.164 numbers as flow-language.md 5.3 writes them: `+` and 8-15 digits.
/// The rule has one home, the checker's `E164` (which also says what is
/// wrong); a contact list only needs yes or no.
public enum PhoneNumber {
    public static func isE164(_ s: String) -> Bool {
        E164.problem(s) == nil
    }
}
