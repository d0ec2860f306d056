/// The fixed parts of the `.ivrb` layout (docs/bytecode.md has the full picture):
///
/// ```
///  0      4   magic "IVRB"
///  4      6   guard 19 93 0D 0A 1A 0A   (catches CR/LF and ^Z mangling)
/// 10      1   major version
/// 11      1   minor version
/// 12      4   CRC-32 of every other byte (0..<12 and 16..<end), little-endian
/// 16      1   section count N
/// 17    9*N   section table: id u8, offset u32 LE, length u32 LE
///  ...        sections, in table order, contiguous, no gaps
/// ```
public enum BundleFormat {
    public static let magic: [UInt8] = Array("IVRB".utf8)
    public static let guardBytes: [UInt8] = [0x19, 0x93, 0x0D, 0x0A, 0x1A, 0x0A]
    public static let majorVersion: UInt8 = 1
    public static let minorVersion: UInt8 = 0
    public static let checksumOffset = 12
    public static let sectionTableOffset = 17
    public static let sectionEntrySize = 9

    /// Section identifiers. Required: strings, flows, code; optional: debug.
    public enum Section: UInt8, CaseIterable, Sendable {
        case strings = 1, flows = 2, code = 3, debug = 4
        public var name: String {
            switch self {
            case .strings: "string pool"
            case .flows: "flow table"
            case .code: "code"
            case .debug: "debug"
            }
        }
    }

    public static var versionString: String { "\(majorVersion).\(minorVersion)" }
}
