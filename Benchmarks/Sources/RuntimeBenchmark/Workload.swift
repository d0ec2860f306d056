import Foundation
import BenchmarkSupport
import IVRBytecode
import IVRCheck
import IVRRuntime
import IVRSyntax

/// One scripted call: a flow of a bundle and what the caller does.
struct ScriptedCall {
    var name: String
    var flow: Int
    var tokens: [InputToken]
    var caller: String
    var at: Date
    var webhooks: [(prefix: String, response: WebhookResponse)]
}

/// A project built with `--strip`, its YAML size and the calls to run on it.
struct Workload {
    var name: String
    /// Bytes of the project's flow files.
    var yamlBytes: Int
    /// The stripped bundle's bytes.
    var bundleBytes: [UInt8]
    /// The size of the same bundle with its debug section (no `--strip`).
    var fullBundleSize: Int
    var bundle: VerifiedBundle
    var calls: [ScriptedCall]

    /// Every project under `examples/`, its calls being its test cases.
    static func examples(root: String) throws -> [Workload] {
        let folder = root + "/examples"
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        return try names.compactMap { name -> Workload? in
            let path = folder + "/" + name
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else { return nil }
            return try build(name: name, path: path, cwd: root, calls: testCalls)
        }
    }

    /// The generated flow (`menus` menus), with a fixed mix of scripts that
    /// walk down the tree, time out, capture an account and hang up.
    static func generated(menus: Int, scratch: String) throws -> Workload {
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let file = scratch + "/big.yaml"
        try Data(FlowGenerator.flow(menus: menus).utf8).write(to: URL(fileURLWithPath: file))
        let scripts = ["1 1 1 1 1 1", "3 123456#", "1 3 1234# 12345678#", "- - -", "1 1 9 9 9", "1 star 2 0", "2 1 !"]
        return try build(name: "generated (\(menus) menus)", path: file, cwd: scratch) { _, bundle in
            scripts.map { text in
                let tokens = (try? InputToken.parse(text.replacingOccurrences(of: "star", with: "*")).get()) ?? []
                return ScriptedCall(name: text, flow: 0, tokens: tokens, caller: "+15555550100",
                                    at: Date(timeIntervalSince1970: 0), webhooks: [])
            }
        }
    }

    /// A project folder's flows, its calls being its test cases.
    static func testProject(name: String, folder: String) throws -> Workload {
        try build(name: name, path: folder, cwd: folder, calls: testCalls)
    }

    private static func build(name: String, path: String, cwd: String,
                              calls: (Project, VerifiedBundle) throws -> [ScriptedCall]) throws -> Workload {
        let output: FlowBuild
        switch FlowBuild.build(paths: [path], currentDirectory: cwd, strip: true) {
        case .success(let o): output = o
        case .failure(let f): throw BenchmarkError("\(name): \(f)")
        }
        let yaml = output.project.flowFiles.reduce(0) { $0 + (output.project.files[$1]?.bytes.count ?? 0) }
        let full = (try? FlowBuild.build(paths: [path], currentDirectory: cwd).get().bytes.count) ?? 0
        return Workload(name: name, yamlBytes: yaml, bundleBytes: output.bytes, fullBundleSize: full, bundle: output.bundle,
                        calls: try calls(output.project, output.bundle))
    }

    /// The cases of every `*.test.yaml` of the project, as scripted calls.
    private static func testCalls(_ project: Project, _ bundle: VerifiedBundle) throws -> [ScriptedCall] {
        var calls: [ScriptedCall] = []
        for testFile in project.testFiles {
            let path = testFile.hasPrefix("/") ? testFile : project.workingDirectory.map { $0 + "/" + testFile } ?? testFile
            guard let data = FileManager.default.contents(atPath: path) else { throw BenchmarkError("cannot read \(path)") }
            let (parsed, _) = FlowTestParser.parse([UInt8](data), file: testFile)
            guard let parsed, let flow = bundle.flowIndex(parsed.flow.value) else { throw BenchmarkError("bad test file \(path)") }
            for c in parsed.cases {
                let at = c.at.flatMap { CallTime.parse($0.value) } ?? Date(timeIntervalSince1970: 0)
                calls.append(ScriptedCall(name: c.name, flow: flow, tokens: c.input, caller: c.caller ?? "+15555550100",
                                          at: at, webhooks: c.webhooks))
            }
        }
        return calls
    }
}

/// A benchmark that cannot run (missing examples, a build that fails).
struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
