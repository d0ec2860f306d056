/// The byte offset where each line of a source file starts, for turning
/// libyaml's line/column marks into byte offsets and for printing source lines.
public struct LineTable: Sendable {
    /// `starts[i]` is the byte offset of line `i + 1`.
    public let starts: [Int]
    /// Whether line `i + 1` holds only ASCII bytes (column == byte offset).
    private let ascii: [Bool]
    public let byteCount: Int

    // NOTE: both pointers are used only inside the closures that make them.
    public init(_ bytes: some Collection<UInt8>) {
        if let table = bytes.withContiguousStorageIfAvailable(LineTable.init(buffer:)) {
            self = table
        } else {
            let copy = Array(bytes)
            self = copy.withUnsafeBufferPointer(LineTable.init(buffer:))
        }
    }

    /// One pass over the bytes, eight at a time where a word holds no line
    /// break and no non-ASCII byte.
    // NOTE: `buffer` is read during the call only. A word is loaded only when
    // `index + 8 <= count` (unaligned loads of eight bytes inside the buffer);
    // single bytes only when `index < count`.
    private init(buffer: UnsafeBufferPointer<UInt8>) {
        var starts = [0]
        starts.reserveCapacity(buffer.count / 32 + 1)
        var ascii: [Bool] = []
        ascii.reserveCapacity(buffer.count / 32 + 1)
        var lineIsASCII = true
        var index = 0
        let count = buffer.count
        if let base = buffer.baseAddress {
            let raw = UnsafeRawPointer(base)
            while index < count {
                if index + 8 <= count {
                    let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    // No byte >= 0x80 and no byte equal to 0x0A: skip the word.
                    let newlines = word ^ 0x0A0A_0A0A_0A0A_0A0A
                    let hasZero = (newlines &- 0x0101_0101_0101_0101) & ~newlines & 0x8080_8080_8080_8080
                    if word & 0x8080_8080_8080_8080 == 0, hasZero == 0 {
                        index += 8
                        continue
                    }
                }
                let byte = base[index]
                index += 1
                if byte >= 0x80 { lineIsASCII = false }
                if byte == UInt8(ascii: "\n") {
                    starts.append(index)
                    ascii.append(lineIsASCII)
                    lineIsASCII = true
                }
            }
        }
        ascii.append(lineIsASCII)
        self.starts = starts
        self.ascii = ascii
        self.byteCount = count
    }

    public var lineCount: Int { starts.count }

    /// The byte offset of a 1-based line and a 1-based column counted in
    /// Unicode scalars.
    public func offset(line: Int, column: Int, in bytes: [UInt8]) -> Int {
        guard line >= 1, line <= starts.count else { return byteCount }
        let start = starts[line - 1]
        if ascii[line - 1] { return min(start + column - 1, byteCount) }
        var offset = start
        var remaining = column - 1
        while remaining > 0, offset < bytes.count {
            offset += 1
            while offset < bytes.count, bytes[offset] & 0xC0 == 0x80 { offset += 1 }
            remaining -= 1
        }
        return offset
    }

    /// The byte range of a 1-based line, without its line break.
    public func lineBytes(_ line: Int) -> Range<Int>? {
        guard line >= 1, line <= starts.count else { return nil }
        let start = starts[line - 1]
        var end = line < starts.count ? starts[line] - 1 : byteCount
        if end < start { end = start }
        return start..<end
    }
}
