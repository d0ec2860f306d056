import ArgumentParser
import Foundation
import IVRSIP
import Testing
@testable import IVRCommands

/// `--srtp off|optional|required` on `serve` and `call`: the default, each
/// value, and a malformed command line for anything else.
@Suite struct SRTPOptionTests {
    @Test(arguments: ListenOptionTests.commands)
    func eachValueAndTheDefault(_ command: [String]) throws {
        #expect(try ListenOptionTests.parse(command).srtpPolicy() == .optional)
        for policy in SRTPPolicy.allCases {
            #expect(try ListenOptionTests.parse(command + ["--srtp", policy.rawValue]).srtpPolicy() == policy)
        }
        #expect(SIPConfiguration().srtp == .optional)
    }

    @Test(arguments: ListenOptionTests.commands)
    func anotherValueIsAMalformedCommandLine(_ command: [String]) throws {
        for bad in ["yes", "REQUIRED", "", "mandatory"] {
            do {
                _ = try IVRC.parseAsRoot(command + ["--srtp", bad])
                Issue.record("--srtp \(bad) was accepted")
            } catch {
                #expect(IVRC.exitCode(for: error).rawValue == 64, "\(bad)")
                #expect(IVRC.message(for: error).contains("--srtp takes off, optional or required"), "\(IVRC.message(for: error))")
            }
        }
    }
}
