/// Why a bundle was refused. Every message is meant for a person: it says
/// what is wrong and, where it helps, where in the file.
public enum BundleError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file does not start with the bundle magic.
    case notABundle
    /// The newline guard bytes changed: the file went through a text-mode transfer.
    case mangled
    /// A major version this reader does not know.
    case unsupportedVersion(found: String, supported: String)
    case checksumMismatch(stored: UInt32, computed: UInt32)
    case truncated(String)
    case malformed(String)
    case outOfRange(String)
    case badCode(flow: String, offset: Int, String)

    public var description: String {
        switch self {
        case .notABundle: "not an ivrc bundle (bad magic number)"
        case .mangled: "the bundle was altered by a newline conversion (transfer it as binary)"
        case .unsupportedVersion(let found, let supported):
            "bundle format version \(found) is not supported by this ivrc (it reads version \(supported))"
        case .checksumMismatch(let stored, let computed):
            "bundle is corrupted: checksum \(hex(stored)) does not match its content (\(hex(computed)))"
        case .truncated(let what): "bundle is truncated: \(what)"
        case .malformed(let what): "bundle is malformed: \(what)"
        case .outOfRange(let what): "bundle is malformed: \(what)"
        case .badCode(let flow, let offset, let what): "bundle is malformed: flow '\(flow)' at \(offset): \(what)"
        }
    }
}

private func hex(_ v: UInt32) -> String {
    let digits = String(v, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}
