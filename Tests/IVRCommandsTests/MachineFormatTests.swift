import Foundation
import IVRCheck
import IVRSyntax
import Testing
@testable import IVRCommands

@Suite struct JSONFormatterTests {
    @Test func matchesTheSpecShapeExactly() {
        let out = JSONFormatter.format(Sample.report())
        #expect(out == #"""
            {"diagnostics":[{"code":"E201","severity":"error","message":"target 'salse' names no node","file":"flows/main.yaml","line":14,"column":12,"endLine":14,"endColumn":17,"notes":[{"message":"help: did you mean 'sales'?"}],"fix":null},{"code":"W304","severity":"warning","message":"node 'support' ends without a jump; the call hangs up","file":"flows/main.yaml","line":15,"column":12,"endLine":15,"endColumn":19,"notes":[{"message":"add 'hangup' to make it explicit"}],"fix":null}],"errors":1,"warnings":1,"files":3}

            """#)
    }

    @Test func notesWithRangesAndFixes() {
        let d = Diagnostic(
            .E002, "duplicate key \"a\"\n", file: "x.yaml", range: span(4, 3, 4, 4),
            notes: [Diagnostic.Note("first here", range: span(3, 3, 3, 4))],
            fix: Diagnostic.FixIt(message: "rename", range: span(4, 3, 4, 4), replacement: "b"))
        let out = JSONFormatter.format(CheckReport(diagnostics: [d], fileCount: 1, strict: true))
        #expect(out == #"""
            {"diagnostics":[{"code":"E002","severity":"error","message":"duplicate key \"a\"\n","file":"x.yaml","line":4,"column":3,"endLine":4,"endColumn":4,"notes":[{"message":"first here","file":"x.yaml","line":3,"column":3,"endLine":3,"endColumn":4}],"fix":{"message":"rename","replacement":"b","line":4,"column":3,"endLine":4,"endColumn":4}}],"errors":1,"warnings":0,"files":1}

            """#)
    }

    @Test func strictCountsWarningsAsErrors() {
        let out = JSONFormatter.format(Sample.report(strict: true))
        #expect(out.contains(#""code":"W304","severity":"error""#))
        #expect(out.hasSuffix(#""errors":2,"warnings":0,"files":3}"# + "\n"))
    }

    @Test func escapesStrings() {
        let value = JSONValue.string("q\"b\\n\n\r\t\u{01}\u{7F}é\u{2028}")
        #expect(value.encoded() == #""q\"b\\n\n\r\t\u0001\u007fé\u2028""#)
        let parsed = try? JSONSerialization.jsonObject(with: Data(value.encoded().utf8), options: [.fragmentsAllowed])
        #expect(parsed as? String == "q\"b\\n\n\r\t\u{01}\u{7F}é\u{2028}")
    }

    @Test func prettyPrinting() {
        let value = JSONValue.object([("a", .array([.int(1), .bool(true)])), ("b", .object([])), ("c", .null)])
        #expect(value.encoded() == #"{"a":[1,true],"b":{},"c":null}"#)
        #expect(value.encoded(pretty: true) == "{\n  \"a\": [\n    1,\n    true\n  ],\n  \"b\": {},\n  \"c\": null\n}")
    }
}

@Suite struct GitHubFormatterTests {
    /// toolchain.md's shape to the letter: `file`, `line`, `col`, `title`
    /// and the message; nothing else on standard output.
    @Test func oneWorkflowCommandPerDiagnostic() {
        let out = GitHubFormatter.format(Sample.report())
        #expect(out == """
            ::error file=flows/main.yaml,line=14,col=12,title=E201::target 'salse' names no node
            ::warning file=flows/main.yaml,line=15,col=12,title=W304::node 'support' ends without a jump; the call hangs up

            """)
        let shape = /^::(error|warning) file=[^,]+,line=\d+,col=\d+,title=[EW]\d{3}::.+$/
        #expect(out.split(separator: "\n").allSatisfy { $0.wholeMatch(of: shape) != nil })
    }

    @Test func strictMakesWarningsErrors() {
        let out = GitHubFormatter.format(Sample.report(strict: true))
        #expect(!out.contains("::warning"))
        #expect(out.contains("::error file=flows/main.yaml,line=15,"))
    }

    @Test func escapesDataAndProperties() {
        #expect(GitHubFormatter.escapeData("100%\r\nnext: a,b") == "100%25%0D%0Anext: a,b")
        #expect(GitHubFormatter.escapeProperty("C:\\a,b%\n") == "C%3A\\a%2Cb%25%0A")
        let d = Diagnostic(.E003, "unknown field 'x%'", file: "dir,1/a:b.yaml", range: span(1, 1, 1, 2))
        let out = GitHubFormatter.format(CheckReport(diagnostics: [d], fileCount: 1))
        #expect(out == "::error file=dir%2C1/a%3Ab.yaml,line=1,col=1,title=E003::unknown field 'x%25'\n")
    }
}

@Suite struct SARIFFormatterTests {
    @Test func goldenLog() {
        let d = Diagnostic(
            .E301, "a cycle that never waits", file: "flows/a b.yaml", range: span(2, 3, 2, 4),
            notes: [Diagnostic.Note("the loop closes here", range: span(3, 13, 3, 14)), Diagnostic.Note("plain")],
            help: "add a menu")
        let out = SARIFFormatter.format(CheckReport(diagnostics: [d, Sample.implicitHangup], fileCount: 2))
        #expect(out == """
            {
              "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
              "version": "2.1.0",
              "runs": [
                {
                  "tool": {
                    "driver": {
                      "name": "ivrc",
                      "version": "\(IVRCVersion.current)",
                      "rules": [
                        {
                          "id": "E301",
                          "shortDescription": {
                            "text": "infinite loop without caller input"
                          },
                          "fullDescription": {
                            "text": "A loop that never waits for the caller (an infinite loop)."
                          },
                          "help": {
                            "text": "A loop that never waits for the caller (an infinite loop). See docs/diagnostics.md, section E301, for a flow that has it and the same flow fixed.",
                            "markdown": "**E301 infinite loop without caller input**\\n\\nA loop that never waits for the caller (an infinite loop).\\n\\nSee `docs/diagnostics.md`, section `E301`, for a flow that has it and the same flow fixed."
                          },
                          "defaultConfiguration": {
                            "level": "error"
                          }
                        },
                        {
                          "id": "W304",
                          "shortDescription": {
                            "text": "implicit hangup"
                          },
                          "fullDescription": {
                            "text": "A node ends without a jump: the call hangs up there implicitly."
                          },
                          "help": {
                            "text": "A node ends without a jump: the call hangs up there implicitly. See docs/diagnostics.md, section W304, for a flow that has it and the same flow fixed.",
                            "markdown": "**W304 implicit hangup**\\n\\nA node ends without a jump: the call hangs up there implicitly.\\n\\nSee `docs/diagnostics.md`, section `W304`, for a flow that has it and the same flow fixed."
                          },
                          "defaultConfiguration": {
                            "level": "warning"
                          }
                        }
                      ]
                    }
                  },
                  "columnKind": "unicodeCodePoints",
                  "results": [
                    {
                      "ruleId": "E301",
                      "ruleIndex": 0,
                      "level": "error",
                      "message": {
                        "text": "a cycle that never waits\\nnote: plain\\nhelp: add a menu"
                      },
                      "locations": [
                        {
                          "physicalLocation": {
                            "artifactLocation": {
                              "uri": "flows/a%20b.yaml"
                            },
                            "region": {
                              "startLine": 2,
                              "startColumn": 3,
                              "endLine": 2,
                              "endColumn": 4
                            }
                          }
                        }
                      ],
                      "relatedLocations": [
                        {
                          "id": 0,
                          "message": {
                            "text": "the loop closes here"
                          },
                          "physicalLocation": {
                            "artifactLocation": {
                              "uri": "flows/a%20b.yaml"
                            },
                            "region": {
                              "startLine": 3,
                              "startColumn": 13,
                              "endLine": 3,
                              "endColumn": 14
                            }
                          }
                        }
                      ]
                    },
                    {
                      "ruleId": "W304",
                      "ruleIndex": 1,
                      "level": "warning",
                      "message": {
                        "text": "node 'support' ends without a jump; the call hangs up\\nnote: add 'hangup' to make it explicit"
                      },
                      "locations": [
                        {
                          "physicalLocation": {
                            "artifactLocation": {
                              "uri": "flows/main.yaml"
                            },
                            "region": {
                              "startLine": 15,
                              "startColumn": 12,
                              "endLine": 15,
                              "endColumn": 19
                            }
                          }
                        }
                      ]
                    }
                  ]
                }
              ]
            }

            """)
    }

    @Test func parsesAsJSONWithTheRequiredFields() throws {
        var withFix = Sample.unknownTarget
        withFix.fix = Diagnostic.FixIt(message: "use 'sales'", range: span(14, 12, 14, 17), replacement: "sales")
        let report = CheckReport(diagnostics: [withFix, Sample.implicitHangup], fileCount: 3, strict: true)
        let data = Data(SARIFFormatter.format(report).utf8)
        let log = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(log["$schema"] as? String == SARIFFormatter.schema)
        #expect(log["version"] as? String == "2.1.0")
        let runs = try #require(log["runs"] as? [[String: Any]])
        #expect(runs.count == 1)
        let driver = try #require((runs[0]["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "ivrc")
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.compactMap { $0["id"] as? String } == ["E201", "W304"])
        let levels = rules.compactMap { ($0["defaultConfiguration"] as? [String: Any])?["level"] as? String }
        #expect(levels == ["error", "warning"])
        for rule in rules {
            let help = try #require(rule["help"] as? [String: Any])
            #expect((help["text"] as? String)?.contains("docs/diagnostics.md") == true)
            #expect((help["markdown"] as? String)?.isEmpty == false)
            #expect(((rule["fullDescription"] as? [String: Any])?["text"] as? String)?.isEmpty == false)
        }
        let results = try #require(runs[0]["results"] as? [[String: Any]])
        #expect(results.compactMap { $0["ruleId"] as? String } == ["E201", "W304"])
        #expect(results.compactMap { $0["level"] as? String } == ["error", "error"])  // --strict
        let location = try #require((results[0]["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
        #expect((location["artifactLocation"] as? [String: Any])?["uri"] as? String == "flows/main.yaml")
        let region = try #require(location["region"] as? [String: Any])
        #expect(region["startLine"] as? Int == 14)
        #expect(region["startColumn"] as? Int == 12)
        #expect(region["endLine"] as? Int == 14)
        #expect(region["endColumn"] as? Int == 17)
        let fixes = try #require(results[0]["fixes"] as? [[String: Any]])
        let change = try #require((fixes.first?["artifactChanges"] as? [[String: Any]])?.first)
        let replacement = try #require((change["replacements"] as? [[String: Any]])?.first)
        #expect((replacement["insertedContent"] as? [String: Any])?["text"] as? String == "sales")
    }

    @Test func absolutePathsBecomeFileURIs() {
        #expect(SARIFFormatter.uri("/tmp/x y/ü.yaml") == "file:///tmp/x%20y/%C3%BC.yaml")
        #expect(SARIFFormatter.uri("flows/main-1_2.yaml") == "flows/main-1_2.yaml")
    }
}
