import Foundation
/// The fixed parts of the `.ivrb` layout (docs/bytecode.md has the full picture):
///
/// ```
///  0      4   magic "IVRB"
///  4      6   guard 19 93 0D 0A 1A 0A   (catches CR/LF and ^Z mangling)
/// 10      1   major version
/// 11      1   minor version
/// 12      4   CRC-32 of every other byte (0..<12 and 16..<end), little-endian
/// 16      1   section count N
/// 17          section table, N entries: id u8, codec u8, length uint,
///             and for a compressed section its inflated size uint
///  ...        sections, in table order, contiguous, no gaps
/// ```
public enum BundleFormat {
    public static let magic: [UInt8] = Array("IVRB".utf8)
    public static let guardBytes: [UInt8] = [0x19, 0x93, 0x0D, 0x0A, 0x1A, 0x0A]
    public static let majorVersion: UInt8 = 3
    /// 3.1 added the optional SIP settings section, 3.2 the optional servers section.
    public static let minorVersion: UInt8 = 2
    /// 3.3 added variable flag 2 (a flow's `inputs`). A bundle is written
    /// as 3.3 only when a flow has inputs, so bundles without them keep
    /// their 3.2 bytes; readers accept every minor version of major 3.
    public static let inputsMinorVersion: UInt8 = 3
    public static let checksumOffset = 12
    public static let sectionCountOffset = 16
    public static let sectionTableOffset = 17

    /// Whether `path` names a bundle rather than flow sources: its name ends
    /// in `.ivrb`, or it is a file that starts with the magic number (a
    /// bundle written as `app.bin` is still a bundle, never parsed as YAML).
    public static func isBundle(path: String, currentDirectory: String) -> Bool {
        if path.hasSuffix(".ivrb") { return true }
        let full = path.hasPrefix("/") ? path : (currentDirectory as NSString).appendingPathComponent(path)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: full, isDirectory: &isFolder), !isFolder.boolValue,
              let file = FileHandle(forReadingAtPath: full) else { return false }
        defer { try? file.close() }
        let head = (try? file.read(upToCount: magic.count)) ?? Data()
        return Array(head) == magic
    }

    /// The most bytes all compressed sections of one bundle may inflate to, together (64 MiB).
    public static let maxInflatedBytes = 64 << 20
    /// The most inflated bytes a section may declare per stored byte. DEFLATE
    /// itself cannot exceed about 1032; the writer stores a section that would.
    public static let maxInflationRatio = 1000

    /// Section identifiers. Required: strings, flows, code; optional: debug, sip, servers.
    public enum Section: UInt8, CaseIterable, Sendable {
        case strings = 1, flows = 2, code = 3, debug = 4, sip = 5, servers = 6
        public var name: String {
            switch self {
            case .strings: "string pool"
            case .flows: "flow table"
            case .code: "code"
            case .debug: "debug"
            case .sip: "SIP settings"
            case .servers: "servers"
            }
        }
    }

    /// How a section's bytes are stored.
    public enum Codec: UInt8, CaseIterable, Sendable {
        /// The bytes as they are.
        case stored = 0
        /// Raw DEFLATE (RFC 1951).
        case deflate = 1
        /// Raw DEFLATE with `TextDictionary.bytes` as its preset dictionary.
        case deflateText = 2

        public var name: String {
            switch self {
            case .stored: "stored"
            case .deflate: "deflate"
            case .deflateText: "deflate+text"
            }
        }

        /// The preset dictionary the codec's stream starts from.
        var dictionary: [UInt8] { self == .deflateText ? TextDictionary.bytes : [] }
    }

    /// The codec the writer tries for a section (it keeps the bytes stored
    /// when that is not smaller).
    static func preferredCodec(_ section: Section) -> Codec {
        section == .strings ? .deflateText : .deflate
    }

    /// Whether a compressed section of `length` stored bytes may declare `size` inflated bytes.
    static func mayInflate(_ length: Int, to size: Int) -> Bool {
        // size <= length * ratio, without multiplying a hostile length.
        size >= 0 && size <= maxInflatedBytes && (size + maxInflationRatio - 1) / maxInflationRatio <= length
    }

    public static var versionString: String { "\(majorVersion).\(inputsMinorVersion)" }
}
