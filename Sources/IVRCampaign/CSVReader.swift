/// RFC 4180 comma-separated values: fields separated by commas, records by
/// CRLF or LF, a field in double quotes may hold commas, line breaks and
/// doubled quotes (`""`). A UTF-8 byte order mark at the start is skipped.
/// Each record keeps the line it starts on (1-based) for messages.
enum CSVReader {
    struct Record: Sendable, Equatable {
        var line: Int
        var fields: [String]
        /// Why the record could not be read whole (an unterminated quote, a quote inside a bare field).
        var problem: String?
    }

    static func records(_ bytes: [UInt8]) -> [Record] {
        var records: [Record] = []
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var line = 1
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        while i < bytes.count {
            var record = Record(line: line, fields: [])
            var field: [UInt8] = []
            var quoted = false
            var endOfRecord = false
            // One record: fields until an unquoted line break or the end.
            while i < bytes.count, !endOfRecord {
                let b = bytes[i]
                if quoted {
                    if b == quote {
                        if i + 1 < bytes.count, bytes[i + 1] == quote {
                            field.append(quote)
                            i += 2
                        } else {
                            quoted = false
                            i += 1
                            if i < bytes.count, ![comma, cr, lf].contains(bytes[i]), record.problem == nil {
                                record.problem = "text after a closing quote"
                            }
                        }
                    } else {
                        if b == lf { line += 1 }
                        field.append(b)
                        i += 1
                    }
                    continue
                }
                switch b {
                case quote:
                    if field.isEmpty { quoted = true } else {
                        if record.problem == nil { record.problem = "a quote inside an unquoted field" }
                        field.append(b)
                    }
                    i += 1
                case comma:
                    record.fields.append(String(decoding: field, as: UTF8.self))
                    field = []
                    i += 1
                case cr where i + 1 < bytes.count && bytes[i + 1] == lf:
                    i += 2
                    line += 1
                    endOfRecord = true
                case lf:
                    i += 1
                    line += 1
                    endOfRecord = true
                default:
                    field.append(b)
                    i += 1
                }
            }
            if quoted, record.problem == nil { record.problem = "a quoted field is never closed" }
            record.fields.append(String(decoding: field, as: UTF8.self))
            // A blank line is no record.
            if record.fields == [""], record.problem == nil { continue }
            records.append(record)
        }
        return records
    }
}
