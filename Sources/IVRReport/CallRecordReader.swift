import Foundation
import IVRRuntime

/// Reads call-record logs (JSON lines, one `CallRecord` per line) for
/// `ivrc report`. Blank lines are ignored; a line that is not a call record
/// is skipped and remembered as a `Malformed` value, so the report can say
/// how many and where (the command words the warnings).
public struct CallRecordReader: Sendable {
    /// A line that was not a call record.
    public struct Malformed: Sendable, Equatable {
        public var file: String
        /// 1-based.
        public var line: Int
    }

    /// A log that cannot be read: missing, not readable, or a folder without any `*.jsonl`.
    public struct Unreadable: Error, Sendable, Equatable {
        /// The path as given.
        public var path: String
        /// Why, when the path alone does not say.
        public var reason: String?

        public init(path: String, reason: String? = nil) {
            self.path = path
            self.reason = reason
        }
    }

    /// The records read so far, in file order.
    public private(set) var records: [CallRecord] = []
    public private(set) var malformed: [Malformed] = []
    public private(set) var files = 0

    public init() {}

    /// Reads one file's bytes. `name` is how messages refer to it.
    public mutating func read(_ bytes: some Collection<UInt8>, name: String) {
        files += 1
        var lineNumber = 0
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            let text = String(decoding: line, as: UTF8.self)
            if text.allSatisfy(\.isWhitespace) { continue }
            if let record = CallRecord.parse(line: text) {
                records.append(record)
            } else {
                malformed.append(Malformed(file: name, line: lineNumber))
            }
        }
    }

    /// Reads a file from disk (`-` is standard input), or every `*.jsonl`
    /// file in a folder and its subfolders, in path order (the logs of
    /// several nodes merge into one report).
    public mutating func read(path: String, currentDirectory: String) throws(Unreadable) {
        if path == "-" {
            read(FileHandle.standardInput.readDataToEndOfFile(), name: "<stdin>")
            return
        }
        let full = path.hasPrefix("/") ? path : currentDirectory + "/" + path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: full, isDirectory: &isFolder) else { throw Unreadable(path: path) }
        if isFolder.boolValue {
            let logs = Self.logs(inFolder: full)
            guard !logs.isEmpty else { throw Unreadable(path: path, reason: "no *.jsonl file in the folder") }
            for log in logs {
                let name = (path as NSString).appendingPathComponent(log)
                guard let data = FileManager.default.contents(atPath: full + "/" + log) else { throw Unreadable(path: name) }
                read(data, name: name)
            }
            return
        }
        guard let data = FileManager.default.contents(atPath: full) else { throw Unreadable(path: path) }
        read(data, name: path)
    }

    /// The `*.jsonl` files under `folder` (relative paths, sorted; hidden files and folders skipped).
    static func logs(inFolder folder: String) -> [String] {
        guard let walk = FileManager.default.enumerator(atPath: folder) else { return [] }
        var found: [String] = []
        for case let relative as String in walk where relative.hasSuffix(".jsonl") {
            guard !relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) else { continue }
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder + "/" + relative, isDirectory: &isFolder), !isFolder.boolValue {
                found.append(relative)
            }
        }
        return found.sorted()
    }
}
