/// Whether a platform's value is one DTMF key, so it can be a menu option.
enum DTMFKeyCheck {
    static func isKey(_ s: String) -> Bool { s.count == 1 && "0123456789*#".contains(s) }
}
