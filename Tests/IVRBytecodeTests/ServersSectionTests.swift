import Foundation
import IVRRuntime
import Testing
@testable import IVRBytecode

/// The optional servers section: each flow's `servers:` in the bundle,
/// written only when some flow has it, kept by `--strip`, and refused
/// when it lies.
@Suite struct ServersSectionTests {
    static let pinned = """
        ivr: pinned
        extension: "900"
        servers: [node-a, node-b]
        nodes:
          start: hangup

        """

    static func project() throws -> String {
        try SampleProject.write(files: ["flows/main.yaml": SampleProject.main, "flows/billing.yaml": SampleProject.billing,
                                        "flows/pinned.yaml": pinned])
    }

    @Test func theBundleCarriesEachFlowsServers() throws {
        let built = try FlowBuild.build(paths: [try Self.project()], currentDirectory: "/").get()
        let loaded = try Bundle.load(built.bytes)
        let servers = loaded.flows.map { $0.servers.map { loaded.strings[$0] } }
        let pinned = try #require(loaded.flowIndex("pinned"))
        let main = try #require(loaded.flowIndex("acme-main"))
        #expect(servers[pinned] == ["node-a", "node-b"])
        #expect(servers[main] == [])
        #expect(Disassembler.disassemble(loaded).contains(#"flow pinned extension "900" servers "node-a", "node-b""#),
                "ivrc disasm shows them")
        #expect(try RawBundle.sections(of: built.bytes).map(\.id).contains(BundleFormat.Section.servers.rawValue))
        let stripped = try FlowBuild.build(paths: [try Self.project()], currentDirectory: "/", strip: true).get()
        #expect(try Bundle.load(stripped.bytes).flows[pinned].servers.count == 2, "--strip keeps the section")
    }

    @Test func noServersNoSection() throws {
        let built = try FlowBuild.build(paths: [try SampleProject.write()], currentDirectory: "/").get()
        #expect(!(try RawBundle.sections(of: built.bytes).map(\.id).contains(BundleFormat.Section.servers.rawValue)))
    }

    @Test func lyingSectionsAreRefused() throws {
        let built = try FlowBuild.build(paths: [try Self.project()], currentDirectory: "/").get()
        let cases: [([UInt8], String)] = [
            ([1, 1, 0], "1 flows, the flow table has 3"),
            ([3, 0, 0, 1, 0xFF, 0xFF, 0x7F], "server name"),
            ([3, 0, 0, 0], "no flow names a server"),
            ([3, 0, 0, 1, 0, 9], "stray bytes"),
        ]
        for (bytes, message) in cases {
            let forged = try RawBundle.editing(built.bytes, section: .servers) { s in
                s.codec = 0
                s.bytes = bytes
                s.size = bytes.count
            }
            let refusal = RawBundle.refusal(forged)
            #expect(refusal?.contains("servers section") == true && refusal?.contains(message) == true, "\(bytes): \(refusal ?? "loaded")")
        }
    }
}
