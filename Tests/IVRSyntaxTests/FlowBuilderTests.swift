import Testing
@testable import IVRSyntax

private func parse(_ text: String) -> (Flow?, [Diagnostic]) {
    let r = FlowParser.parseFlow(Array(text.utf8), file: "f.yaml")
    return (r.flow, r.diagnostics)
}

private func codes(_ text: String) -> [String] {
    parse(text).1.map { "\($0.code.rawValue)@\($0.range.start.line):\($0.range.start.column)" }
}

@Suite struct FlowBuilderTests {
    static let frontDesk = """
        ivr: front-desk
        extension: "800"
        defaults: {timeout: 5s, attempts: 2}
        nodes:
          welcome:
            - say: "Welcome to Acme."
            - goto: main
          main:
            menu:
              prompt:
                - play: {file: audio/main.wav, transcript: "For sales press 1."}
              options:
                "1": sales
                star: repeat
                "#": hangup
              on-invalid: {say: "Sorry."}
              on-exhausted: goodbye
          sales:
            transfer: {sip: "sip:sales@pbx.acme.example", timeout: 20s, on-fail: goodbye}
          goodbye: [{say: "Goodbye."}, hangup]
        """

    @Test func buildsAValidFlow() throws {
        let (flow, diagnostics) = parse(Self.frontDesk)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let f = try #require(flow)
        #expect(f.name.value == "front-desk")
        #expect(f.extensionNumber?.value == "800")
        #expect(f.defaults.attempts?.value == 2)
        #expect(f.nodes.map(\.name.value) == ["welcome", "main", "sales", "goodbye"])
        guard case .menu(let menu) = f.nodes[1].steps[0].kind else { Issue.record("not a menu"); return }
        #expect(menu.options.map(\.key.value) == [.d1, .star, .hash])
        #expect(menu.options[0].key.range.start.line == 13)
        #expect(menu.options[0].key.range.start.column == 9)
        guard case .builtin(let b) = menu.options[1].target else { Issue.record("not builtin"); return }
        #expect(b.value == .repeat)
        guard case .transfer(let t) = f.nodes[2].steps[0].kind else { Issue.record("not transfer"); return }
        #expect(t.destination.kind == .sip)
        #expect(t.timeout?.value == .seconds(20))
        #expect(f.nodes[3].steps.count == 2)
        #expect(f.nodes[3].steps[1].alwaysJumps)
    }

    @Test func unknownFieldSuggestsTheClosest() {
        let (_, d) = parse("ivr: a\nnodes:\n  m:\n    menu:\n      promt: {say: hi}\n      options: {\"1\": hangup}\n")
        #expect(d.count == 1)
        #expect(d.first?.code == .E003)
        #expect(d.first?.help == "did you mean 'prompt'?")
        #expect(d.first?.range.start == SourceLocation(line: 5, column: 7, offset: 35))
    }

    @Test func structuralCodes() {
        #expect(codes("nodes: {a: hangup}\n") == ["E004@1:1"])
        #expect(codes("ivr: A\nnodes: {a: hangup}\n") == ["E006@1:6"])
        #expect(codes("ivr: a\nnodes:\n  a: {menu: {options: {\"1\": hangup}, timeout: 5}}\n") == ["E006@3:47"])
        #expect(codes("ivr: a\nnodes:\n  a: {menu: {options: {\"12\": hangup}}}\n") == ["E101@3:24"])
        #expect(codes("ivr: a\nnodes:\n  a: {menu: {options: {star: hangup, \"*\": top}}}\n") == ["E102@3:38"])
        // A plain 1 (an integer to YAML) and "1" (a string) are two YAML keys, one menu key.
        #expect(codes("ivr: a\nnodes:\n  a: {menu: {options: {1: hangup, \"1\": top}}}\n") == ["E102@3:35"])
        #expect(codes("ivr: a\nnodes:\n  a: {menu: {options: {'1': hangup, \"1\": top}}}\n") == ["E002@3:37"])
        #expect(codes("ivr: a\nnodes:\n  a: {menu: {options: {1: hangup, 1: top}}}\n") == ["E002@3:35"])
        // Field names are strings either way: a duplicate.
        #expect(codes("ivr: a\n\"ivr\": b\nnodes: {a: hangup}\n").contains("E002@2:1"))
        #expect(codes("ivr: a\nnodes:\n  a: {menu: {options: {}}}\n") == ["E106@3:23"])
        #expect(codes("ivr: a\nnodes:\n  top: hangup\n") == ["E210@3:3"])
        #expect(codes("ivr: a\nnodes:\n  a: {capture: {into: x, min: 5, max: 3}}\n") == ["E006@3:31"])
        #expect(codes("ivr: a\nnodes:\n  a: {transfer: {number: \"+4420\", extension: \"1\"}}\n") == ["E006@3:35"])
        #expect(codes("ivr: a\nnodes:\n  a: {say: [x]}\n") == ["E005@3:12"])
        #expect(codes("ivr: a\nnodes:\n  a: {capture: {prompt: {say: hi}}}\n") == ["E004@3:17"])
    }

    @Test func durationWithoutUnitGetsAFix() {
        let (_, d) = parse("ivr: a\ndefaults: {timeout: 5}\nnodes: {a: hangup}\n")
        #expect(d.map(\.code) == [.E006])
        #expect(d.first?.fix?.replacement == "5s")
    }

    @Test func hoursAreChecked() {
        let text = """
            ivr: a
            hours:
              support:
                timezone: America/New_York
                mon-fri: "09:00-17:30"
                sat: "10:00-14:00, 13:00-15:00"
                sunday: "10:00-11:00"
                closed: ["2026-12-25", "2026-02-30"]
            nodes: {a: hangup}
            """
        // The overlap points at the range at fault inside the quotes.
        #expect(codes(text) == ["E405@6:24", "E405@7:5", "E405@8:28"])
        let (flow, _) = parse(text)
        #expect(flow?.hours.first?.rules.first?.weekdays == [0, 1, 2, 3, 4])
        #expect(flow?.hours.first?.rules.first?.intervals == [540..<1050])
    }

    /// Night service: a range that ends before it starts runs past midnight
    /// into the next day (Sunday's into Monday's).
    @Test func overnightRangesRunIntoTheNextDay() {
        let text = """
            ivr: a
            hours:
              night:
                mon-fri: "18:00-08:00"
                sun: "22:00-02:00, 09:00-10:00"
            nodes: {a: hangup}
            """
        let (flow, d) = parse(text)
        #expect(d.isEmpty)
        let rules = flow?.hours.first?.rules.map { "\($0.weekdays):" + $0.intervals.map { "\($0.lowerBound)-\($0.upperBound)" }.joined(separator: ",") }
        #expect(rules == ["[0, 1, 2, 3, 4]:1080-1440", "[1, 2, 3, 4, 5]:0-480", "[6]:540-600,1320-1440", "[0]:0-120"])
        #expect(codes("ivr: a\nhours: {x: {mon: \"09:00-09:00\"}}\nnodes: {a: hangup}\n") == ["E405@2:19"])
        #expect(codes("ivr: a\nhours: {x: {mon: \"22:00-06:00, 05:00-07:00\"}}\nnodes: {a: hangup}\n").isEmpty)
        #expect(codes("ivr: a\nhours: {x: {mon: \"22:00-06:00, 23:00-23:30\"}}\nnodes: {a: hangup}\n") == ["E405@2:32"])
    }

    @Test func durations() {
        #expect(Duration(parsing: "1m30s")?.milliseconds == 90_000)
        #expect(Duration(parsing: "500ms")?.milliseconds == 500)
        #expect(Duration(parsing: "5") == nil)
        #expect(Duration(parsing: "s") == nil)
        #expect(Duration(parsing: "5x") == nil)
        #expect(Duration(parsing: "") == nil)
    }

    /// Hours, minutes and seconds may have a fraction, rounded to whole
    /// milliseconds; milliseconds may not.
    @Test func fractionalDurations() {
        #expect(Duration(parsing: "1.5s")?.milliseconds == 1500)
        #expect(Duration(parsing: "0.5m")?.milliseconds == 30_000)
        #expect(Duration(parsing: "1.25h")?.milliseconds == 4_500_000)
        #expect(Duration(parsing: "1m0.5s")?.milliseconds == 60_500)
        #expect(Duration(parsing: "0.0005s")?.milliseconds == 1)
        #expect(Duration(parsing: "0.001s")?.milliseconds == 1)
        #expect(Duration(parsing: "1.5ms") == nil)
        #expect(Duration(parsing: "1.s") == nil)
        #expect(Duration(parsing: ".5s") == nil)
        #expect(Duration(parsing: "1.5") == nil)
    }

    /// A bare number is offered the unit that lands in the field's range.
    @Test func bareNumbersGetTheSensibleUnit() {
        #expect(DurationLimits.unit(forBareNumber: "3000", in: DurationLimits.keyTimeout) == "ms")
        #expect(DurationLimits.unit(forBareNumber: "5", in: DurationLimits.keyTimeout) == "s")
        #expect(DurationLimits.unit(forBareNumber: "30", in: DurationLimits.ringTimeout) == "s")
        #expect(DurationLimits.unit(forBareNumber: "500", in: DurationLimits.webhookTimeout) == "ms")
        #expect(DurationLimits.unit(forBareNumber: "1.5", in: DurationLimits.keyTimeout) == "s")
        // Both readings fit a recording's max (1000s, 1s): the one nearer its usual 2m.
        #expect(DurationLimits.unit(forBareNumber: "1000", in: DurationLimits.recordMax) == "s")
        // Neither 200s nor 200ms is a sensible menu timeout: no unit is offered.
        #expect(DurationLimits.unit(forBareNumber: "200", in: DurationLimits.keyTimeout) == nil)
    }

    @Test func durationsOutsideTheirRangeAreE006NamingTheRange() {
        let text = "ivr: a\nnodes:\n  a:\n    - transfer: {group: x, timeout: 2h}\n"
        let (_, d) = parse(text)
        #expect(d.map(\.code) == [.E006])
        #expect(d.first?.message == "'timeout' of '2h' is out of range: a transfer's ring timeout is between 2s and 10m")
    }
}

@Suite struct YAMLCoreTypeTests {
    @Test func plainScalarsResolveAsTheCoreSchemaSays() {
        let cases: [(String, YAMLCoreType)] = [
            ("", .null), ("~", .null), ("null", .null), ("true", .bool), ("FALSE", .bool), ("no", .string),
            ("1", .int), ("-12", .int), ("+3", .int), ("0x1F", .int), ("0o17", .int), ("0o8", .string),
            ("1.5", .float), (".5", .float), ("1e3", .float), ("-.inf", .float), (".nan", .float), ("1e", .string),
            ("+", .string), ("12a", .string), ("star", .string), ("*", .string),
        ]
        for (text, type) in cases { #expect(YAMLCoreType(text, style: .plain) == type, "\(text)") }
        #expect(YAMLCoreType("1", style: .doubleQuoted) == .string)
        #expect(YAMLCoreType("null", style: .singleQuoted) == .string)
    }
}
