import Foundation
import IVRCheck
import IVRSyntax

/// Sources to bundle bytes: load, check, refuse on errors, compile, write,
/// and load the bytes back through the verifier (so `simulate` on sources
/// runs exactly what a bundle would).
public enum BuildPipeline {
    /// Why no bundle was made, with the exit code the CLI uses.
    public struct Failure: Error, Sendable {
        public var message: String
        /// 1: the sources have errors; 2: a file could not be read or written.
        public var exitCode: Int32

        public init(message: String, exitCode: Int32) {
            self.message = message
            self.exitCode = exitCode
        }
    }

    /// The result of a successful build.
    public struct Output: Sendable {
        public var project: Project
        public var bytes: [UInt8]
        public var bundle: VerifiedBundle
        /// Warnings (errors refuse the build).
        public var diagnostics: [Diagnostic]
    }

    /// `strict`: warnings refuse the build too (`--strict`, as in `check`).
    /// `excluding`: absolute folders not entered (other projects, from
    /// `ProjectLoader.split`); nil splits `paths` here, and paths that hold
    /// several projects are refused (a bundle is built from one project).
    public static func build(paths: [String], currentDirectory: String, strip: Bool = false,
                             strict: Bool = false, excluding: Set<String>? = nil) -> Result<Output, Failure> {
        guard let excluding else {
            let parts = ProjectLoader.splitNonEmpty(paths: paths, currentDirectory: currentDirectory)
            if parts.count > 1 {
                let names = parts.map { $0.paths.joined(separator: " ") }.joined(separator: "; ")
                return .failure(Failure(message: "error: the paths hold \(parts.count) projects (\(names)), each with its own "
                                            + "ivr-project.yaml; a bundle is built from one project: give one of them", exitCode: 64))
            }
            let part = parts.first ?? ProjectPaths(paths: paths, excluding: [])
            return build(paths: part.paths, currentDirectory: currentDirectory, strip: strip, strict: strict,
                         excluding: part.excluding)
        }
        let project: Project
        switch ProjectLoader.load(paths: paths, currentDirectory: currentDirectory, excluding: excluding) {
        case .success(let p): project = p
        case .failure(let e): return .failure(Failure(message: "error: \(e.message)", exitCode: 2))
        }
        let diagnostics = Checker.check(project)
        let errors = diagnostics.filter { $0.severity == .error }
        let warnings = diagnostics.count - errors.count
        if !errors.isEmpty || (strict && warnings > 0) {
            var text = diagnostics.map(describe).joined(separator: "\n")
            var counts = errors.isEmpty ? [] : ["\(errors.count) error\(errors.count == 1 ? "" : "s")"]
            if strict && warnings > 0 { counts.append("\(warnings) warning\(warnings == 1 ? "" : "s") (--strict)") }
            text += "\nerror: build refused: " + counts.joined(separator: ", ")
            return .failure(Failure(message: text, exitCode: 1))
        }
        guard !project.flows.isEmpty else {
            return .failure(Failure(message: "error: no flows found in \(paths.isEmpty ? "." : paths.joined(separator: " "))", exitCode: 1))
        }
        let root = sourceRoot(project: project, paths: paths, cwd: currentDirectory)
        let flows = project.flows.map { flow -> Flow in
            var copy = flow
            copy.file = relativePath(flow.file, to: root, cwd: currentDirectory)
            return copy
        }
        var image = CodeGenerator.compile(flows)
        if strip { image = image.stripped() }
        let bytes = BundleWriter.write(image)
        do {
            let bundle = try Bundle.load(bytes)
            return .success(Output(project: project, bytes: bytes, bundle: bundle,
                                   diagnostics: diagnostics.filter { $0.severity != .error }))
        } catch {
            return .failure(Failure(message: "internal error: the compiled bundle does not verify: \(error)", exitCode: 2))
        }
    }

    /// `file:line:column: severity[code]: message`.
    public static func describe(_ d: Diagnostic) -> String {
        "\(d.file):\(d.range.start.line):\(d.range.start.column): \(d.severity.rawValue)[\(d.code.rawValue)]: \(d.message)"
    }

    /// Debug paths are relative to the project: the manifest's folder, else
    /// the one folder given, else the folder of the first file given. So a
    /// build from another working folder gives the same bytes.
    static func sourceRoot(project: Project, paths: [String], cwd: String) -> String {
        if let root = project.root { return absolute(root, cwd: cwd) }
        let given = paths.isEmpty ? ["."] : paths
        let first = absolute(given[0], cwd: cwd)
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: first, isDirectory: &isFolder), isFolder.boolValue { return first }
        return (first as NSString).deletingLastPathComponent
    }

    /// `path` made absolute against `cwd`, with `.` and `..` resolved.
    public static func absolute(_ path: String, cwd: String) -> String {
        let joined = path.hasPrefix("/") ? path : (cwd as NSString).appendingPathComponent(path)
        return URL(fileURLWithPath: joined).standardizedFileURL.path
    }

    static func relativePath(_ file: String, to root: String, cwd: String) -> String {
        let abs = absolute(file, cwd: cwd)
        let prefix = root.hasSuffix("/") ? root : root + "/"
        if abs.hasPrefix(prefix) { return String(abs.dropFirst(prefix.count)) }
        return (abs as NSString).lastPathComponent
    }
}

/// `ivrc build`, as a function of its arguments: the text to print and the exit code.
public enum BuildRunner {
    public static func run(paths: [String], output: String, strip: Bool, strict: Bool = false,
                           currentDirectory: String = FileManager.default.currentDirectoryPath) -> (output: String, exitCode: Int32) {
        switch BuildPipeline.build(paths: paths, currentDirectory: currentDirectory, strip: strip, strict: strict) {
        case .failure(let f):
            return (f.message + "\n", f.exitCode)
        case .success(let built):
            let target = BuildPipeline.absolute(output, cwd: currentDirectory)
            guard FileManager.default.createFile(atPath: target, contents: Data(built.bytes)) else {
                return ("error: cannot write \(output)\n", 2)
            }
            var text = built.diagnostics.map(BuildPipeline.describe).map { $0 + "\n" }.joined()
            let n = built.bundle.flows.count
            text += "wrote \(output): \(n) flow\(n == 1 ? "" : "s"), \(built.bytes.count) bytes\(strip ? ", stripped" : "")\n"
            return (text, 0)
        }
    }
}

/// `ivrc disasm`, as a function: reads and verifies the bundle, prints its assembly.
public enum DisasmRunner {
    public static func run(path: String, currentDirectory: String = FileManager.default.currentDirectoryPath) -> (output: String, exitCode: Int32) {
        let abs = BuildPipeline.absolute(path, cwd: currentDirectory)
        guard let data = FileManager.default.contents(atPath: abs) else { return ("error: cannot read \(path)\n", 2) }
        do {
            let bundle = try Bundle.load([UInt8](data))
            return (Disassembler.disassemble(bundle, sources: sources(of: bundle, near: abs, cwd: currentDirectory)), 0)
        } catch {
            return ("error: \(path): \(error)\n", 2)
        }
    }

    /// The flow files named in the debug section, looked up beside the bundle
    /// and in the working folder (and their parents); those not found are skipped.
    static func sources(of bundle: VerifiedBundle, near bundlePath: String, cwd: String) -> [String: [String]] {
        var found: [String: [String]] = [:]
        var folders: [String] = []
        for start in [(bundlePath as NSString).deletingLastPathComponent, cwd] {
            var folder = start
            for _ in 0..<4 {
                folders.append(folder)
                let parent = (folder as NSString).deletingLastPathComponent
                if parent == folder { break }
                folder = parent
            }
        }
        for flow in bundle.flows {
            guard let file = flow.debug?.file, !file.isEmpty, found[file] == nil else { continue }
            for folder in folders {
                if let data = FileManager.default.contents(atPath: (folder as NSString).appendingPathComponent(file)) {
                    found[file] = String(decoding: data, as: UTF8.self).components(separatedBy: "\n")
                    break
                }
            }
        }
        return found
    }
}
