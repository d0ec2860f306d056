import Foundation
import IVRSyntax

/// Why a project could not be loaded: a path that does not exist or a file
/// that cannot be read. The command line reports it and exits with code 2.
public struct LoadError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// Finds and parses the files of a project (flow-language.md section 1).
///
/// Each path is a file or a folder (no path: the current folder). Folders are
/// searched recursively for `*.yaml` / `*.yml`, skipping hidden folders and
/// `.build*`; `*.test.yaml` files become `testFiles`, `ivr-project.yaml` is the
/// manifest and every other file is parsed as a flow. Diagnostics name files
/// as the user sees them: relative to the current folder when under it.
public enum ProjectLoader {
    /// The manifest's file name.
    public static let manifestName = "ivr-project.yaml"

    /// The codes the loader raises itself (a missing flows folder, a file too
    /// large to read); the files' own are `FlowParser.raises`.
    package static let raises: Set<DiagnosticCode> = [.E006, .E007]

    /// Loads the project made of `paths`, relative to the process's current folder.
    public static func load(paths: [String]) -> Result<Project, LoadError> {
        load(paths: paths, currentDirectory: FileManager.default.currentDirectoryPath)
    }

    /// Loads the project made of `paths`, resolving relative paths against
    /// `currentDirectory` (which is also what display paths are relative to).
    /// Folders in `excluding` (absolute paths) are not entered.
    public static func load(paths: [String], currentDirectory: String,
                            excluding: Set<String> = []) -> Result<Project, LoadError> {
        var walker = ProjectWalker(currentDirectory: currentDirectory)
        walker.excluded = excluding
        do {
            return .success(try walker.load(paths.isEmpty ? ["."] : paths))
        } catch let error as LoadError {
            return .failure(error)
        } catch {
            return .failure(LoadError("\(error)"))
        }
    }
}

/// The state of one load: files seen so far and the manifest chosen.
struct ProjectWalker {
    let cwd: String
    var project = Project()
    var seen: Set<String> = []
    var flowFiles: [LoadPath] = []
    var testFiles: [LoadPath] = []
    var manifest: LoadPath?
    /// Absolute folder paths `walk` does not enter (other projects).
    var excluded: Set<String> = []

    init(currentDirectory: String) {
        cwd = PathTools.normalize(currentDirectory)
        project.workingDirectory = cwd
    }

    mutating func load(_ arguments: [String]) throws -> Project {
        var roots: [(path: LoadPath, isFolder: Bool)] = []
        for argument in arguments {
            let path = LoadPath(argument: argument, cwd: cwd)
            guard let isFolder = PathTools.kind(of: path.absolute) else {
                throw LoadError("no such file or folder: \(argument)")
            }
            roots.append((path, isFolder))
        }
        // The manifest: in a given folder, else beside a given file or in a parent.
        for root in roots where manifest == nil {
            manifest = Self.findManifest(from: root.isFolder ? root.path : root.path.parent())
        }
        if let manifest { try readManifest(manifest) }
        for root in roots {
            guard root.isFolder else {
                classify(root.path, explicit: true)
                continue
            }
            if let flows = manifestFlowsFolder(whenProjectFolder: root.path) {
                // Tests live beside, not inside, the flows folder (tests/*.test.yaml).
                try walk(root.path, testsOnly: true)
                try walk(flows)
            } else {
                try walk(root.path)
            }
        }
        if flowFiles.isEmpty, !testFiles.isEmpty {
            try addFlowsOfTests(roots.map(\.path))
        }
        for file in flowFiles.sorted(by: { $0.display < $1.display }) {
            try readFlow(file)
        }
        project.testFiles = testFiles.map(\.display).sorted()
        if let manifest, roots.contains(where: { !$0.isFolder || $0.path.absolute != manifest.parent().absolute }) {
            try readContextFlows(of: manifest)
        }
        return project
    }

    /// Only test files were given (`ivrc test tests/main.test.yaml`): their
    /// flows are the project's, found from the manifest, else in the test
    /// file's folder (its parent when that folder is `tests`).
    private mutating func addFlowsOfTests(_ roots: [LoadPath]) throws {
        let tests = testFiles
        defer { testFiles = tests }  // only the test files asked for run
        if let manifest {
            try walk(manifestFlowsFolder(whenProjectFolder: manifest.parent()) ?? manifest.parent())
            return
        }
        for root in roots {
            let folder = PathTools.kind(of: root.absolute) == true ? root : root.parent()
            try walk(PathTools.lastComponent(of: folder.absolute) == "tests" ? folder.parent() : folder)
        }
    }

    /// When only some files of a project are checked (a pre-commit hook passes
    /// file names), the project's other flows are read too, so `ivr:`
    /// references and duplicate names resolve; their own diagnostics are not
    /// reported.
    private mutating func readContextFlows(of manifest: LoadPath) throws {
        let requested = flowFiles.count
        let tests = testFiles
        let folder = manifestFlowsFolder(whenProjectFolder: manifest.parent()) ?? manifest.parent()
        try? walk(folder)
        testFiles = tests
        for file in flowFiles[requested...] {
            guard let bytes = try? read(file) else { continue }
            if let flow = FlowParser.parseFlow(bytes, file: file.display).flow { project.contextFlows.append(flow) }
        }
        flowFiles.removeSubrange(requested...)
    }

    /// The manifest's `flows:` folder, when the manifest sets one, `folder`
    /// is the folder holding the manifest, and the flows folder exists.
    private func manifestFlowsFolder(whenProjectFolder folder: LoadPath) -> LoadPath? {
        guard let manifest, folder.absolute == manifest.parent().absolute,
              let flows = project.manifest?.flows?.value, !flows.isEmpty else { return nil }
        let flowsFolder = folder.appending(flows)
        guard PathTools.kind(of: flowsFolder.absolute) == true else { return nil }
        return flowsFolder
    }

    /// Looks for the manifest in `folder` and its parents, stopping at the
    /// filesystem root or after a folder that holds `.git`.
    static func findManifest(from folder: LoadPath) -> LoadPath? {
        var current = folder
        for _ in 0..<256 {
            let candidate = current.appending(ProjectLoader.manifestName)
            if FileManager.default.fileExists(atPath: candidate.absolute) { return candidate }
            if FileManager.default.fileExists(atPath: current.absolute + "/.git") { return nil }
            let parent = current.parent()
            if parent.absolute == current.absolute { return nil }
            current = parent
        }
        return nil
    }

    /// Sorts one file into flows or tests; manifests other than the one
    /// chosen (a nested project's) are neither.
    private mutating func classify(_ file: LoadPath, explicit: Bool, testsOnly: Bool = false) {
        let name = PathTools.lastComponent(of: file.absolute)
        if name.hasSuffix(".test.yaml") || name.hasSuffix(".test.yml") {
            if seen.insert(file.absolute).inserted { testFiles.append(file) }
        } else if testsOnly || name == ProjectLoader.manifestName {
            return
        } else if explicit || name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            if seen.insert(file.absolute).inserted { flowFiles.append(file) }
        }
    }

    /// Walks a folder recursively, skipping hidden folders (`.git`, `.build*`)
    /// and never entering a folder twice (symbolic link loops).
    private mutating func walk(_ folder: LoadPath, testsOnly: Bool = false) throws {
        var visited: Set<String> = []
        var stack = [folder]
        while let current = stack.popLast() {
            let real = (current.absolute as NSString).resolvingSymlinksInPath
            guard visited.insert(real).inserted else { continue }
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: current.absolute)
            } catch {
                throw LoadError("cannot read folder \(current.display)")
            }
            var subfolders: [LoadPath] = []
            for name in names.sorted() where !name.hasPrefix(".") {
                let entry = current.appending(name)
                switch PathTools.kind(of: entry.absolute) {
                case true?: if !excluded.contains(entry.absolute) { subfolders.append(entry) }
                case false?:
                    if name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
                        classify(entry, explicit: false, testsOnly: testsOnly)
                    }
                case nil: continue  // a dangling symbolic link
                }
            }
            stack.append(contentsOf: subfolders.reversed())
        }
    }

    private mutating func readManifest(_ file: LoadPath) throws {
        let bytes = try read(file)
        let parsed = FlowParser.parseManifest(bytes, file: file.display)
        project.manifest = parsed.manifest
        project.manifestFile = file.display
        project.root = file.parent().display
        project.files[file.display] = SourceFile(path: file.display, bytes: bytes, lines: parsed.lines)
        project.diagnostics += parsed.diagnostics
        if let flows = parsed.manifest?.flows,
           PathTools.kind(of: file.parent().appending(flows.value).absolute) != true {
            project.diagnostics.append(Diagnostic(
                .E006, "flows folder '\(flows.value)' does not exist", file: file.display, range: flows.range))
        }
    }

    private mutating func readFlow(_ file: LoadPath) throws {
        if let size = (try? FileManager.default.attributesOfItem(atPath: file.absolute))?[.size] as? Int,
           size > YAMLReader.maxFileSize {
            // Refused without reading it: a huge file costs nothing.
            project.flowFiles.append(file.display)
            project.files[file.display] = SourceFile(path: file.display, bytes: [], lines: LineTable([UInt8]()))
            project.diagnostics.append(Diagnostic(
                .E007, "file is \(size >> 20) MiB; flows larger than \(YAMLReader.maxFileSize >> 20) MiB are not read",
                file: file.display, range: .unknown))
            return
        }
        let bytes = try read(file)
        let parsed = FlowParser.parseFlow(bytes, file: file.display)
        if let flow = parsed.flow { project.flows.append(flow) }
        project.flowFiles.append(file.display)
        project.files[file.display] = SourceFile(path: file.display, bytes: bytes, lines: parsed.lines)
        project.diagnostics += parsed.diagnostics
    }

    private func read(_ file: LoadPath) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: file.absolute) else {
            throw LoadError("cannot read \(file.display)")
        }
        return [UInt8](data)
    }
}

/// A path in two spellings: absolute (for the file system) and as the user
/// sees it (for diagnostics).
struct LoadPath: Hashable {
    var absolute: String
    var display: String

    /// A path the user typed, resolved against the current folder.
    init(argument: String, cwd: String) {
        let absolute = PathTools.normalize(argument.hasPrefix("/") ? argument : cwd + "/" + argument)
        self.absolute = absolute
        if let relative = PathTools.relative(absolute, to: cwd) {
            display = relative
        } else if argument.hasPrefix("/") {
            display = absolute
        } else {
            // Outside the current folder but typed relative (`../other`): keep it so.
            display = PathTools.normalizeRelative(argument)
        }
    }

    init(absolute: String, display: String) {
        self.absolute = absolute
        self.display = display
    }

    func appending(_ component: String) -> LoadPath {
        let trimmed = component.hasSuffix("/") && component.count > 1 ? String(component.dropLast()) : component
        if trimmed.hasPrefix("/") {
            let absolute = PathTools.normalize(trimmed)
            return LoadPath(absolute: absolute, display: absolute)
        }
        return LoadPath(
            absolute: PathTools.normalize(absolute + "/" + trimmed),
            display: PathTools.normalizeRelative(display == "." ? trimmed : display + "/" + trimmed))
    }

    func parent() -> LoadPath {
        LoadPath(absolute: PathTools.parent(of: absolute), display: PathTools.normalizeRelative(display + "/.."))
    }
}

/// Small string-level path helpers (no file system access except `kind`).
enum PathTools {
    /// true for a folder, false for a file, nil when nothing is there.
    static func kind(of path: String) -> Bool? {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { return nil }
        return isFolder.boolValue
    }

    /// Removes `.`, `..` and repeated slashes from an absolute path.
    static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == ".." { _ = parts.popLast(); continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// Removes `.` and resolvable `..` from a relative path; "" becomes ".".
    static func normalizeRelative(_ path: String) -> String {
        if path.hasPrefix("/") { return normalize(path) }
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
                continue
            }
            parts.append(part)
        }
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }

    /// `path` relative to `base` when it is `base` or inside it.
    static func relative(_ path: String, to base: String) -> String? {
        if path == base { return "." }
        let prefix = base == "/" ? "/" : base + "/"
        guard path.hasPrefix(prefix) else { return nil }
        return String(path.dropFirst(prefix.count))
    }

    static func parent(of path: String) -> String {
        normalize(path + "/..")
    }

    static func lastComponent(of path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
