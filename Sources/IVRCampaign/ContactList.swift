import Foundation

/// The contacts CSV of `ivrc campaign` (toolchain.md "Campaigns"): a header
/// row, a required `number` column (E.164), an optional `timezone` column
/// (IANA name, for `--window`); every other column is a variable the flow
/// may list in `inputs`. Rows with errors (a bad number or time zone, the
/// wrong number of fields, broken quoting, a number already on an earlier
/// row) are kept apart with their line and never dialled.
public struct ContactList: Sendable {
    public var file: String
    public var header: [String]
    public var contacts: [Contact]
    public var invalid: [InvalidRow]

    /// Why a contacts file cannot be used at all.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// The file cannot be read (an I/O problem).
        case unreadable(file: String, reason: String)
        /// No header row, a header without `number`, a column named twice, broken header quoting.
        case badHeader(file: String, reason: String)
        /// Columns the flow's `inputs` need that the header lacks.
        case missingInputs(file: String, columns: [String], flow: String)

        public var description: String {
            switch self {
            case .unreadable(let file, let reason): "cannot read the contacts file \(file): \(reason)"
            case .badHeader(let file, let reason): "\(file):1: \(reason)"
            case .missingInputs(let file, let columns, let flow):
                columns.count == 1
                    ? "\(file) has no column '\(columns[0])', which flow '\(flow)' lists in inputs"
                    : "\(file) has no columns \(columns.map { "'\($0)'" }.joined(separator: ", ")), which flow '\(flow)' lists in inputs"
            }
        }
    }

    public static func read(file: String) -> Result<ContactList, Failure> {
        guard let data = FileManager.default.contents(atPath: file) else {
            let reason = FileManager.default.fileExists(atPath: file) ? "permission denied or not a file" : "no such file"
            return .failure(.unreadable(file: file, reason: reason))
        }
        return parse([UInt8](data), file: file)
    }

    public static func parse(_ bytes: [UInt8], file: String) -> Result<ContactList, Failure> {
        let records = CSVReader.records(bytes)
        guard let head = records.first else { return .failure(.badHeader(file: file, reason: "the file is empty: a header row with a 'number' column is needed")) }
        if let problem = head.problem { return .failure(.badHeader(file: file, reason: "header row: \(problem)")) }
        let header = head.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        var seen = Set<String>()
        for name in header {
            if name.isEmpty { return .failure(.badHeader(file: file, reason: "the header has an empty column name")) }
            if !seen.insert(name).inserted { return .failure(.badHeader(file: file, reason: "the header names column '\(name)' twice")) }
        }
        guard let numberColumn = header.firstIndex(of: "number") else {
            return .failure(.badHeader(file: file, reason: "the header has no 'number' column (columns: \(header.joined(separator: ", ")))"))
        }
        let zoneColumn = header.firstIndex(of: "timezone")
        var list = ContactList(file: file, header: header, contacts: [], invalid: [])
        var firstLine: [String: Int] = [:]
        for record in records.dropFirst() {
            let number = record.fields.count > numberColumn ? record.fields[numberColumn].trimmingCharacters(in: .whitespaces) : ""
            func refuse(_ reason: String) { list.invalid.append(InvalidRow(line: record.line, number: number, reason: reason)) }
            if let problem = record.problem { refuse(problem); continue }
            guard record.fields.count == header.count else {
                refuse("\(record.fields.count) fields, the header has \(header.count)")
                continue
            }
            guard PhoneNumber.isE164(number) else {
                refuse(number.isEmpty ? "no number" : "number '\(number)' is not E.164 (+ and 8-15 digits)")
                continue
            }
            var zone: TimeZone?
            if let zoneColumn {
                let name = record.fields[zoneColumn].trimmingCharacters(in: .whitespaces)
                if !name.isEmpty {
                    guard let z = TimeZone(identifier: name) else {
                        refuse("time zone '\(name)' is not an IANA time zone name")
                        continue
                    }
                    zone = z
                }
            }
            if let earlier = firstLine[number] {
                refuse("number \(number) is already on line \(earlier)")
                continue
            }
            firstLine[number] = record.line
            var columns: [String: String] = [:]
            for (name, value) in zip(header, record.fields) { columns[name] = value }
            list.contacts.append(Contact(line: record.line, number: number, columns: columns, timezone: zone))
        }
        return .success(list)
    }

    /// Refuses the list when it lacks a column the flow's `inputs` name.
    public func check(inputs: [String], flow: String) -> Failure? {
        let missing = inputs.filter { !header.contains($0) }
        return missing.isEmpty ? nil : .missingInputs(file: file, columns: missing, flow: flow)
    }
}
