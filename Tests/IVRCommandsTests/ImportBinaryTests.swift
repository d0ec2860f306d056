import Foundation
import IVRTestSupport
import Testing

/// `ivrc import` as a real process: its streams and exit codes.
@Suite struct ImportBinaryTests {
    static let menus = """
        <menus>
          <menu name="main" greet-long="say:For sales press 1." timeout="5000">
            <entry action="menu-exec-app" digits="1" param="transfer 100 XML default"/>
          </menu>
        </menus>

        """

    @Test func exitCodesOfTheRealBinary() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("ivr.xml", Self.menus)
        try folder.write("broken.xml", "<menus>\n  <menu name=\"main\">\n  </menu\n")
        try folder.write("flow.json", "{\"states\": []}\n")

        let good = try await BinaryTests.run(["import", "freeswitch", "ivr.xml", "--name", "sales-line"], in: folder.path)
        #expect(good.status == 0)
        #expect(good.stdout.contains("ivr: sales-line\n"))
        #expect(good.stdout.contains("\"1\": {transfer: {extension: \"100\"}}"))
        #expect(good.stderr == "")

        let written = try await BinaryTests.run(["import", "freeswitch", "ivr.xml", "-o", "main.yaml"], in: folder.path)
        #expect(written.status == 0)
        #expect(written.stdout == "")
        #expect(written.stderr == "wrote main.yaml (0 warnings); check it with: ivrc check main.yaml\n")
        let check = try await BinaryTests.run(["check", "main.yaml"], in: folder.path)
        // Deserved: the source menu has no invalid-sound, so the other keys do nothing.
        #expect(check.stdout.contains("warning[W103]: keys 0 2 3 4 5 6 7 8 9 * # do nothing in this menu"), "\(check.stdout)")
        #expect(check.stdout.hasSuffix("0 errors, 1 warning in 1 file\n"), "\(check.stdout)")

        let broken = try await BinaryTests.run(["import", "freeswitch", "broken.xml"], in: folder.path)
        #expect(broken.status == 1)
        #expect(broken.stdout == "")
        #expect(broken.stderr.hasPrefix("broken.xml:"), "\(broken.stderr)")
        #expect(broken.stderr.contains(": error: the file is not well-formed XML"))

        let notAFlow = try await BinaryTests.run(["import", "studio", "flow.json"], in: folder.path)
        #expect(notAFlow.status == 1)
        #expect(notAFlow.stderr == "flow.json:1:1: error: the flow has no trigger state ('Trigger')\n", "\(notAFlow.stderr)")

        let missing = try await BinaryTests.run(["import", "connect", "none.json"], in: folder.path)
        #expect(missing.status == 2)
        #expect(missing.stderr == "error: cannot read none.json\n")

        let usage = try await BinaryTests.run(["import", "asterisk", "ivr.xml"], in: folder.path)
        #expect(usage.status == 64)
        let badName = try await BinaryTests.run(["import", "freeswitch", "ivr.xml", "--name", "Sales Line"], in: folder.path)
        #expect(badName.status == 64)
        #expect(badName.stderr.contains("--name 'Sales Line' must match [a-z][a-z0-9_-]*"))
    }
}
