import ArgumentParser
import Foundation
import Testing
@testable import IVRCommands

/// `--proxy URI` on `serve` and `call`, and the manifest's `sip.outbound-proxy`
/// it overrides.
@Suite struct OutboundProxyOptionTests {
    static let manifest = """
        name: acme
        sip:
          pbx: pbx.acme.example
          outbound-proxy: "sip:sbc.acme.example;lr"

        """

    /// The message and exit code ArgumentParser gives a command line.
    static func rejection(_ arguments: [String]) -> (message: String, exitCode: Int32)? {
        do {
            _ = try IVRC.parseAsRoot(arguments)
            return nil
        } catch {
            return (IVRC.message(for: error), IVRC.exitCode(for: error).rawValue)
        }
    }

    @Test(arguments: [["call", ".", "--to", "sip:1001@192.0.2.20", "--flow", "main"], ["serve", "."]])
    func aSIPURIIsAccepted(_ command: [String]) throws {
        let parsed = try IVRC.parseAsRoot(command + ["--proxy", "sip:sbc.acme.example;lr"])
        let proxy = (parsed as? Call)?.sip.proxy ?? (parsed as? Serve)?.sip.proxy
        #expect(proxy == "sip:sbc.acme.example;lr")
        _ = try IVRC.parseAsRoot(command + ["--proxy", "sips:[2001:db8::1]:5061"])
        _ = try IVRC.parseAsRoot(command + ["--proxy", "sip:10.0.0.7:5070"])
    }

    @Test(arguments: ["serve", "call"], [
        ("sbc.acme.example", "did you mean \"sip:sbc.acme.example;lr\"?"),
        ("sbc.acme.example:5060", "did you mean \"sip:sbc.acme.example:5060;lr\"?"),
        ("tel:+15550100", "not 'tel:+15550100'"),
        ("sip:sbc.acme.example:99999", "not 'sip:sbc.acme.example:99999'"),
        ("sip:", "not 'sip:'"),
    ])
    func anythingElseIsAMalformedCommandLine(_ command: String, _ bad: (value: String, says: String)) throws {
        var arguments = [command, "."]
        if command == "call" { arguments += ["--to", "sip:1001@192.0.2.20", "--flow", "main"] }
        let rejected = try #require(Self.rejection(arguments + ["--proxy", bad.value]), "--proxy \(bad.value) was accepted")
        #expect(rejected.exitCode == CommandOutput.Code.usage)
        #expect(rejected.message.contains("--proxy takes a SIP URI like \"sip:sbc.acme.example;lr\""), "\(rejected.message)")
        #expect(rejected.message.contains(bad.says), "\(rejected.message)")
        if bad.value.hasPrefix("tel:") { #expect(!rejected.message.contains("did you mean")) }
    }

    @Test func theHelpOfServeAndCallNamesIt() {
        for command in [Serve.self, Call.self] as [any ParsableCommand.Type] {
            let help = command.helpMessage(columns: 200)
            #expect(help.contains("--proxy <uri>"), "\(help)")
            #expect(help.contains("sip.outbound-proxy"), "\(help)")
            let discussion = command.configuration.discussion
            #expect(discussion.contains("--proxy"), "\(discussion)")
        }
    }

    // MARK: - SIPSetup.load: the manifest's proxy, and --proxy over it

    static func setup(_ folder: TemporaryFolder, _ arguments: [String]) async throws -> Result<SIPSetup, CommandFailure> {
        let options = try SIPOptions.parse(arguments + ["--tts", "none"])
        let result = SIPSetup.load(path: folder.path, options: options)
        if case .success(let setup) = result { await setup.http.shutdown() }
        return result
    }

    static func project(manifest: String = manifest) throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        try folder.write("ivr-project.yaml", manifest)
        try folder.write("main.yaml", validFlow)
        return folder
    }

    @Test func theManifestsProxyIsUsed() async throws {
        let folder = try Self.project()
        defer { folder.remove() }
        let setup = try await Self.setup(folder, []).get()
        #expect(setup.outboundProxy.map { String(describing: $0) } == "sip:sbc.acme.example;lr")
    }

    @Test func proxyOverridesTheManifest() async throws {
        let folder = try Self.project()
        defer { folder.remove() }
        let setup = try await Self.setup(folder, ["--proxy", "sip:10.0.0.7:5070"]).get()
        // Kept as given: no `;lr` is added (IVRSIP decides loose or strict routing).
        #expect(setup.outboundProxy.map { String(describing: $0) } == "sip:10.0.0.7:5070")
    }

    @Test func noProxyWithoutEither() async throws {
        let folder = try Self.project(manifest: "name: acme\nsip: {pbx: pbx.acme.example}\n")
        defer { folder.remove() }
        #expect(try await Self.setup(folder, []).get().outboundProxy == nil)
        let given = try await Self.setup(folder, ["--proxy", "sips:sbc.acme.example;lr;transport=tls"]).get()
        #expect(given.outboundProxy.map { String(describing: $0) } == "sips:sbc.acme.example;lr;transport=tls")
    }

    @Test func aBadManifestProxyRefusesTheBuild() async throws {
        let folder = try Self.project(manifest: "name: acme\nsip:\n  outbound-proxy: sbc.acme.example\n")
        defer { folder.remove() }
        guard case .failure(let failure) = try await Self.setup(folder, []) else {
            Issue.record("a manifest proxy without sip: was accepted")
            return
        }
        #expect(failure.exitCode == CommandOutput.Code.failure)
        #expect(failure.message.contains("error[E006]"), "\(failure.message)")
        #expect(failure.message.contains("outbound-proxy 'sbc.acme.example'"), "\(failure.message)")
    }

    @Test func aManifestProxyTheCheckerPassesButIVRSIPCannotUseIsRefused() {
        // Port 0 is well-formed for the checker's syntax test, not a port to send to.
        let options = try? SIPOptions.parse([])
        guard case .failure(let failure)? = options?.outboundProxy(manifest: "sip:sbc.acme.example:0") else {
            Issue.record("sip:...:0 was accepted")
            return
        }
        #expect(failure.exitCode == CommandOutput.Code.failure)
        #expect(failure.message.contains("sip.outbound-proxy 'sip:sbc.acme.example:0' is not a SIP URI"))
    }
}
