import Foundation
import BenchmarkSupport
import IVRCheck
import IVRSyntax

/// `FrontEndBenchmark shapes [--ivrc PATH] [--best-of N] [--keep] [MENUS...]`: the
/// whole `ivrc check` process on each shape of issue 19 against `YAMLScan`
/// (a C process that only scans the same files with libyaml), best of N
/// each, in one run. Target: at most 2x on every shape. Then the same work
/// inside this process (`ProjectLoader.load` and `Checker.check` against
/// reading the files and `YAMLReader.countEvents`), which leaves out
/// process start-up and exit.
enum Shapes {
    struct Shape {
        var name: String
        /// What `ivrc check` is given.
        var path: String
        /// Every YAML file `check` reads (flows and manifest), for the scan.
        var files: [String]
        var bytes: Int
    }

    static func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    static func single(_ name: String, _ text: String, scratch: String) throws -> Shape {
        let path = scratch + "/" + name.replacingOccurrences(of: " ", with: "-") + ".yaml"
        try write(text, to: path)
        return Shape(name: name, path: path, files: [path], bytes: text.utf8.count)
    }

    /// 1,000 small flows in one folder, or under a manifest with a test file each.
    static func project(flows: Int, manifest: Bool, scratch: String) throws -> Shape {
        let root = scratch + (manifest ? "/project-manifest" : "/project-bare")
        let flowsFolder = manifest ? root + "/flows" : root
        try FileManager.default.createDirectory(atPath: flowsFolder, withIntermediateDirectories: true)
        var files: [String] = []
        var bytes = 0
        func add(_ text: String, _ path: String) throws {
            try write(text, to: path)
            files.append(path)
            bytes += text.utf8.count
        }
        if manifest {
            try FileManager.default.createDirectory(atPath: root + "/tests", withIntermediateDirectories: true)
            try add(FlowShapes.manifest, root + "/ivr-project.yaml")
        }
        for n in 0..<flows {
            try add(FlowShapes.smallFlow(n), flowsFolder + "/flow-\(n).yaml")
            // `check` does not read test files: written, not scanned.
            if manifest { try write(FlowShapes.smallFlowTests(n), to: root + "/tests/flow-\(n).test.yaml") }
        }
        let name = manifest ? "\(flows) small flows, manifest and tests" : "\(flows) small flows, one folder"
        return Shape(name: name, path: root, files: files, bytes: bytes)
    }

    /// `keep`: leave the generated files (and print where), to run `ivrc check` on them by hand.
    static func run(ivrc: String, sizes: [Int], repeats: Int, keep: Bool = false) throws {
        let scan = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().path + "/YAMLScan"
        let scratch = NSTemporaryDirectory() + "/ivrc-shapes-\(getpid())"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { if keep { print("files kept in \(scratch)") } else { try? FileManager.default.removeItem(atPath: scratch) } }
        var shapes: [Shape] = []
        for menus in sizes {
            shapes.append(try single("binary tree \(menus) menus", FlowGenerator.flow(menus: menus), scratch: scratch))
            shapes.append(try single("wide fan-out 9 \(menus) menus", FlowShapes.wide(menus: menus), scratch: scratch))
            shapes.append(try single("expressions \(menus) nodes", FlowShapes.expressions(nodes: menus), scratch: scratch))
        }
        shapes.append(try project(flows: 1000, manifest: false, scratch: scratch))
        shapes.append(try project(flows: 1000, manifest: true, scratch: scratch))
        print("ivrc check (whole process) against a libyaml scan process of the same files, best of \(repeats) each (\(ivrc))")
        for shape in shapes {
            let check = ProcessTiming.best([ivrc, "check", shape.path], repeats: repeats)
            let floor = ProcessTiming.best([scan] + shape.files, repeats: repeats)
            guard let check, let floor else {
                print("  \(shape.name): failed (run: \(ivrc) check \(shape.path))")
                continue
            }
            let inCheck = measure("check", repeats: repeats) {
                if case .success(let project) = ProjectLoader.load(paths: [shape.path]) { _ = Checker.check(project) }
            }
            let inScan = measure("scan", repeats: repeats) {
                var events = 0
                for file in shape.files {
                    if let data = FileManager.default.contents(atPath: file) { events += YAMLReader.countEvents([UInt8](data)) }
                }
                if events == 42 { print("") }
            }
            print("  " + shape.name.padding(toLength: 40, withPad: " ", startingAt: 0)
                  + String(format: " %9d B  check %8.1f ms  scan %7.1f ms  ratio %5.2fx | in process %7.1f / %6.1f ms  %5.2fx",
                           shape.bytes, check, floor, check / floor, inCheck, inScan, inCheck / inScan))
        }
    }
}
