/// What `password-env` may name: `[A-Za-z_][A-Za-z0-9_]*`, what a shell
/// can export. The checker (E006) and the bundle loader both ask here.
public enum EnvironmentVariableName {
    public static func isValid(_ s: String) -> Bool {
        func letter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A || b == UInt8(ascii: "_") }
        guard let first = s.utf8.first, letter(first) else { return false }
        return s.utf8.allSatisfy { letter($0) || ($0 >= 0x30 && $0 <= 0x39) }
    }
}
