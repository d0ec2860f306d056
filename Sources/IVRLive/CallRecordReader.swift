import Foundation
import IVRRuntime

/// Reads call-record logs (JSON lines, one `CallRecord` per line) for
/// `ivrc report`. Blank lines are ignored; a line that is not a call record
/// is skipped and remembered, so the report can say how many and where.
public struct CallRecordReader: Sendable {
    /// A line that was not a call record.
    public struct Malformed: Sendable, Equatable {
        public var file: String
        /// 1-based.
        public var line: Int
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

    /// Reads a file from disk (`-` is standard input); false when it cannot be read.
    public mutating func read(path: String, currentDirectory: String) -> Bool {
        if path == "-" {
            read(FileHandle.standardInput.readDataToEndOfFile(), name: "<stdin>")
            return true
        }
        let full = path.hasPrefix("/") ? path : currentDirectory + "/" + path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: full, isDirectory: &isFolder), !isFolder.boolValue,
              let data = FileManager.default.contents(atPath: full) else { return false }
        read(data, name: path)
        return true
    }

    /// The stderr lines for skipped lines: the first `limit` by position, then a count.
    public func malformedMessages(limit: Int = 10) -> [String] {
        guard !malformed.isEmpty else { return [] }
        var lines = malformed.prefix(limit).map { "\($0.file):\($0.line): warning: skipped a line that is not a call record" }
        if malformed.count > limit { lines.append("... and \(malformed.count - limit) more") }
        let n = malformed.count
        lines.append("\(n) malformed line\(n == 1 ? "" : "s") skipped")
        return lines
    }
}
