import Foundation
import IVRBytecode
import IVRCheck
import IVRSyntax

/// Sources to bundle bytes: load, check, refuse on errors, compile, write,
/// and load the bytes back through the verifier (so `simulate` on sources
/// runs exactly what a bundle would). It lives here, above the checker and
/// the code generator, because it needs both.
public struct FlowBuild: Sendable {
    public var project: Project
    public var bytes: [UInt8]
    public var bundle: VerifiedBundle
    /// Warnings (errors refuse the build).
    public var diagnostics: [Diagnostic]

    /// `strict`: warnings refuse the build too (`--strict`, as in `check`).
    /// `excluding`: absolute folders not entered (other projects, from
    /// `ProjectLoader.split`); nil splits `paths` here, and paths that hold
    /// several projects are refused (a bundle is built from one project).
    public static func build(paths: [String], currentDirectory: String, strip: Bool = false,
                             strict: Bool = false, excluding: Set<String>? = nil) -> Result<FlowBuild, FlowBuildError> {
        guard let excluding else {
            let parts = ProjectLoader.splitNonEmpty(paths: paths, currentDirectory: currentDirectory)
            if parts.count > 1 { return .failure(.severalProjects(parts)) }
            let part = parts.first ?? ProjectPaths(paths: paths, excluding: [])
            return build(paths: part.paths, currentDirectory: currentDirectory, strip: strip, strict: strict,
                         excluding: part.excluding)
        }
        let project: Project
        switch ProjectLoader.load(paths: paths, currentDirectory: currentDirectory, excluding: excluding) {
        case .success(let p): project = p
        case .failure(let e): return .failure(.unreadable(e))
        }
        let diagnostics = Checker.check(project)
        let errors = diagnostics.count { $0.severity == .error }
        let warnings = diagnostics.count - errors
        if errors > 0 || (strict && warnings > 0) {
            return .failure(.refused(diagnostics: diagnostics, strict: strict))
        }
        guard !project.flows.isEmpty else { return .failure(.noFlows(paths: paths)) }
        let root = sourceRoot(project: project, paths: paths, cwd: currentDirectory)
        let flows = project.flows.map { flow -> Flow in
            var copy = flow
            copy.file = relativePath(flow.file, to: root, cwd: currentDirectory)
            return copy
        }
        var image = CodeGenerator.compile(flows)
        if let sip = project.manifest?.sip { image.setSIPSettings(BundleSIPSettings(manifest: sip)) }
        if strip { image = image.stripped() }
        let bytes = BundleWriter.write(image)
        do {
            let bundle = try Bundle.load(bytes)
            return .success(FlowBuild(project: project, bytes: bytes, bundle: bundle,
                                      diagnostics: diagnostics.filter { $0.severity != .error }))
        } catch {
            return .failure(.doesNotVerify(error))
        }
    }

    /// Debug paths are relative to the project: the manifest's folder, else
    /// the one folder given, else the folder of the first file given. So a
    /// build from another working folder gives the same bytes.
    static func sourceRoot(project: Project, paths: [String], cwd: String) -> String {
        if let root = project.root { return FilePaths.absolute(root, cwd: cwd) }
        let given = paths.isEmpty ? ["."] : paths
        let first = FilePaths.absolute(given[0], cwd: cwd)
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: first, isDirectory: &isFolder), isFolder.boolValue { return first }
        return (first as NSString).deletingLastPathComponent
    }

    static func relativePath(_ file: String, to root: String, cwd: String) -> String {
        let abs = FilePaths.absolute(file, cwd: cwd)
        let prefix = root.hasSuffix("/") ? root : root + "/"
        if abs.hasPrefix(prefix) { return String(abs.dropFirst(prefix.count)) }
        return (abs as NSString).lastPathComponent
    }
}

/// Why `FlowBuild.build` made no bundle. IVRCommands says it to the user
/// (`CommandFailure`) with the exit code.
public enum FlowBuildError: Error, Sendable {
    /// The paths hold several projects (each with its own manifest).
    case severalProjects([ProjectPaths])
    /// A path is missing or a file cannot be read.
    case unreadable(LoadError)
    /// The sources have errors (or, with `strict`, warnings): every diagnostic, warnings too.
    case refused(diagnostics: [Diagnostic], strict: Bool)
    /// No flow file was found in the paths given.
    case noFlows(paths: [String])
    /// The compiled bytes failed the verifier: a bug of the compiler.
    case doesNotVerify(BundleError)
}
