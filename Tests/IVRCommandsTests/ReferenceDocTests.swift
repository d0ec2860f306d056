import Foundation
import IVRSyntax
import Testing

/// docs/reference.md documents every field of the language: each table
/// under a `<!-- fields: NAME -->` marker lists exactly the fields the parser
/// reads in that mapping (and, for test files, the fields of the test
/// schema). A field added to the parser and not to the page, or a row for a
/// field that no longer exists, fails here.
@Suite struct ReferenceDocTests {
    /// The page's tables: marker name -> the first-column names of its rows.
    static func tables() throws -> [String: [String]] {
        let url = SchemaTests.root.appendingPathComponent("docs/reference.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        var tables: [String: [String]] = [:]
        var current: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("<!-- fields: "), line.hasSuffix(" -->") {
                let name = line.dropFirst("<!-- fields: ".count).dropLast(" -->".count)
                current = String(name)
                tables[String(name), default: []] = []
                continue
            }
            guard let name = current else { continue }
            if line.trimmingCharacters(in: .whitespaces).isEmpty {
                if tables[name]?.isEmpty == false { current = nil }
                continue
            }
            // | `field` | ... : the first cell, without its backquotes
            let cells = line.split(separator: "|", omittingEmptySubsequences: false)
            guard cells.count > 2 else { continue }
            let first = cells[1].trimmingCharacters(in: .whitespaces)
            guard first.hasPrefix("`"), first.hasSuffix("`"), first.count > 2 else { continue }
            tables[name]?.append(String(first.dropFirst().dropLast()))
        }
        return tables
    }

    static let parserLists: [(String, [String])] = [
        ("flow header", LanguageFields.flow), ("defaults", LanguageFields.defaults),
        ("events", LanguageFields.events), ("schedule", LanguageFields.schedule),
        ("step", LanguageFields.stepKeywords), ("say", LanguageFields.say), ("play", LanguageFields.play),
        ("menu", LanguageFields.menu), ("dial-by-extension", LanguageFields.dialByExtension),
        ("capture", LanguageFields.capture), ("branch arm", LanguageFields.branchArm),
        ("transfer", LanguageFields.transfer), ("webhook", LanguageFields.webhook),
        ("record", LanguageFields.record), ("wait", LanguageFields.wait), ("manifest", LanguageFields.manifest),
        ("directory", LanguageFields.directory), ("sip", LanguageFields.sip),
        ("credential", LanguageFields.credential), ("register", LanguageFields.register),
        ("inbound", LanguageFields.inbound), ("inbound auth", LanguageFields.inboundAuth),
        ("inbound user", LanguageFields.inboundUser),
    ]

    static let testSchemaPaths: [(String, [String])] = [
        ("test file", ["properties"]), ("test case", ["$defs", "case", "properties"]),
        ("canned response", ["$defs", "response", "properties"]), ("expect", ["$defs", "expect", "properties"]),
    ]

    @Test func everyParserFieldIsDocumentedAndNoOther() throws {
        let tables = try Self.tables()
        for (name, fields) in Self.parserLists {
            let documented = try #require(tables[name], "docs/reference.md has no '<!-- fields: \(name) -->' table")
            #expect(!fields.isEmpty)
            #expect(Set(fields).subtracting(documented).sorted() == [], "\(name): fields the parser reads but the page lacks")
            #expect(Set(documented).subtracting(fields).sorted() == [], "\(name): rows for fields the parser does not read")
            #expect(documented.count == Set(documented).count, "\(name): a field documented twice")
        }
    }

    @Test func everyTestFileFieldIsDocumented() throws {
        let tables = try Self.tables()
        let schema = try SchemaTests.loadSchema("ivr-test")
        for (name, path) in Self.testSchemaPaths {
            let documented = try #require(tables[name], "docs/reference.md has no '<!-- fields: \(name) -->' table")
            let inSchema = try #require(SchemaTests.propertyNames(in: schema, at: path))
            #expect(Set(documented) == inSchema, "\(name): the page and schema/ivr-test.schema.json differ")
        }
    }

    /// The "Duration ranges" table is `DurationLimits`, row for row.
    @Test func durationRangesAreTheCheckersTable() throws {
        let url = SchemaTests.root.appendingPathComponent("docs/reference.md")
        let lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
        let start = try #require(lines.firstIndex(of: "<!-- duration ranges -->"), "no '<!-- duration ranges -->' table")
        let rows = lines[(start + 1)...].prefix { !$0.isEmpty }.dropFirst(2)
        let expected = DurationLimits.all.map { limit in
            let fields = limit.fields.map { "`\($0)`" }.joined(separator: ", ")
            let low = Duration(milliseconds: limit.range.lowerBound), high = Duration(milliseconds: limit.range.upperBound)
            return "| \(limit.what) | \(fields) | \(low) to \(high) | \(Duration(milliseconds: limit.typical)) |"
        }
        #expect(Array(rows) == expected)
    }

    @Test func everyTableIsOneTheTestsKnow() throws {
        let known = Set(Self.parserLists.map(\.0) + Self.testSchemaPaths.map(\.0))
        #expect(Set(try Self.tables().keys).subtracting(known).sorted() == [])
    }
}
