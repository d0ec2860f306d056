/// A cursor over a message's bytes; every read checks the bounds.
struct DNSReader {
    let bytes: [UInt8]
    var offset = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func u8() throws(DNSMessageError) -> UInt8 {
        guard offset < bytes.count else { throw .truncated(at: offset) }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func u16() throws(DNSMessageError) -> UInt16 {
        UInt16(try u8()) << 8 | UInt16(try u8())
    }

    mutating func u32() throws(DNSMessageError) -> UInt32 {
        UInt32(try u16()) << 16 | UInt32(try u16())
    }

    mutating func skip(_ count: Int) throws(DNSMessageError) {
        guard count <= bytes.count - offset else { throw .truncated(at: offset) }
        offset += count
    }

    /// A name at the cursor (RFC 1035 4.1.4: labels, ending in a zero
    /// byte or a pointer to an earlier name), in lower case; the cursor
    /// moves past it (past its first pointer, when it has one).
    mutating func name() throws(DNSMessageError) -> String {
        var labels: [String] = []
        var length = 0
        var position = offset
        var resume: Int?
        var pointers = 0
        // A pointer must point before the label sequence it was found in.
        var floor = position
        while true {
            guard position < bytes.count else { throw .truncated(at: position) }
            let count = Int(bytes[position])
            switch count & 0xC0 {
            case 0x00:
                if count == 0 {
                    offset = resume ?? position + 1
                    return labels.joined(separator: ".")
                }
                guard count < bytes.count - position else { throw .truncated(at: position) }
                length += count + 1
                guard length + 1 <= DNSMessage.maxNameLength else { throw .nameTooLong(at: position) }
                labels.append(Self.labelText(bytes[(position + 1)...(position + count)]))
                position += count + 1
            case 0xC0:
                guard position + 1 < bytes.count else { throw .truncated(at: position) }
                let target = (count & 0x3F) << 8 | Int(bytes[position + 1])
                pointers += 1
                guard target < floor, pointers <= DNSMessage.maxPointers else { throw .badPointer(at: position) }
                if resume == nil { resume = position + 2 }
                position = target
                floor = target
            default:
                // 0x40 and 0x80: extended label types (RFC 6891), not used here.
                throw .badLabel(at: position)
            }
        }
    }

    /// A label's bytes as text: letters in lower case; a dot, a backslash
    /// and bytes outside printable ASCII as `\DDD` (RFC 4343 2.1).
    static func labelText(_ label: ArraySlice<UInt8>) -> String {
        var text = ""
        for byte in label {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): text.unicodeScalars.append(Unicode.Scalar(byte + 32))
            case UInt8(ascii: "."), UInt8(ascii: "\\"), 0..<0x21, 0x7F...:
                let digits = String(byte)
                text += "\\" + String(repeating: "0", count: 3 - digits.count) + digits
            default: text.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        return text
    }

    /// One resource record; its data must fill exactly RDLENGTH bytes.
    mutating func record() throws(DNSMessageError) -> DNSRecord {
        let owner = try name()
        let type = try u16()
        _ = try u16()  // class
        let ttl = try u32()
        let dataLength = Int(try u16())
        let start = offset
        guard dataLength <= bytes.count - start else { throw .truncated(at: start) }
        let end = start + dataLength
        let data: DNSRecordData
        switch DNSRecordType(rawValue: type) {
        case .a:
            guard dataLength == 4 else { throw .badRecordLength(at: start) }
            data = .a(bytes[start..<end].map(String.init).joined(separator: "."))
        case .aaaa:
            guard dataLength == 16 else { throw .badRecordLength(at: start) }
            data = .aaaa(Self.ipv6Text(bytes[start..<end]))
        case .cname:
            data = .cname(try name())
        case .srv:
            guard dataLength >= 7 else { throw .badRecordLength(at: start) }
            let priority = try u16(), weight = try u16(), port = try u16()
            data = .srv(priority: priority, weight: weight, port: port, target: try name())
        case nil:
            data = .other(type: type)
        }
        // The data names (CNAME, SRV target) must end where RDLENGTH says.
        if DNSRecordType(rawValue: type) == .cname || DNSRecordType(rawValue: type) == .srv {
            guard offset == end else { throw .badRecordLength(at: start) }
        }
        offset = end
        return DNSRecord(name: owner, ttl: ttl, data: data)
    }

    /// RFC 5952 text of 16 bytes: lower-case hex groups, the longest run of
    /// two or more zero groups as `::`.
    static func ipv6Text(_ bytes: ArraySlice<UInt8>) -> String {
        let b = Array(bytes)
        let groups = (0..<8).map { Int(b[2 * $0]) << 8 | Int(b[2 * $0 + 1]) }
        var bestStart = -1, bestLength = 0, runStart = -1
        for i in 0...8 {
            if i < 8, groups[i] == 0 {
                if runStart < 0 { runStart = i }
            } else if runStart >= 0 {
                if i - runStart > bestLength { bestStart = runStart; bestLength = i - runStart }
                runStart = -1
            }
        }
        let hex = groups.map { String($0, radix: 16) }
        guard bestLength >= 2 else { return hex.joined(separator: ":") }
        return hex[..<bestStart].joined(separator: ":") + "::" + hex[(bestStart + bestLength)...].joined(separator: ":")
    }
}
