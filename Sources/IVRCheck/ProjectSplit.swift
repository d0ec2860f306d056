import Foundation

/// Paths that span several projects (`ivrc check examples/`, where each
/// sub-folder has its own `ivr-project.yaml`, or `ivrc check a/ b/`) are
/// split into one `ProjectPaths` per project, so each flow is checked against
/// its own manifest: its directory, its audio folder, its flow names.
///
/// A flow belongs to the nearest manifest at or above its folder. A folder
/// given on the command line that holds other projects deeper down is read
/// without them; each of them is read as a project of its own.
public struct ProjectPaths: Sendable, Equatable {
    /// The command-line spellings of the files and folders of one project.
    public var paths: [String]
    /// Absolute folders of other projects nested inside `paths`, not entered.
    public var excluding: Set<String>

    public init(paths: [String], excluding: Set<String>) {
        self.paths = paths
        self.excluding = excluding
    }
}

extension ProjectLoader {
    /// The projects `paths` span. One project (the usual case) comes back as
    /// the paths unchanged. A path that does not exist leaves the split to
    /// `load`, which reports it.
    public static func split(paths: [String], currentDirectory: String) -> [ProjectPaths] {
        let arguments = paths.isEmpty ? ["."] : paths
        let cwd = PathTools.normalize(currentDirectory)
        // Manifest (absolute path, "" for none) -> its project's paths, in order of appearance.
        var order: [String] = []
        var groups: [String: ProjectPaths] = [:]
        func add(_ key: String, _ path: String, excluding: Set<String>) {
            if groups[key] == nil {
                order.append(key)
                groups[key] = ProjectPaths(paths: [], excluding: [])
            }
            if !(groups[key]?.paths.contains(path) ?? false) { groups[key]?.paths.append(path) }
            groups[key]?.excluding.formUnion(excluding)
        }
        for argument in arguments {
            let path = LoadPath(argument: argument, cwd: cwd)
            guard let isFolder = PathTools.kind(of: path.absolute) else {
                return [ProjectPaths(paths: arguments, excluding: [])]
            }
            let own = ProjectWalker.findManifest(from: isFolder ? path : path.parent())
            guard isFolder else {
                add(own?.absolute ?? "", argument, excluding: [])
                continue
            }
            let nested = nestedProjectFolders(in: path)
            add(own?.absolute ?? "", argument, excluding: Set(nested.map(\.absolute)))
            for folder in nested {
                let deeper = nested.filter { $0.absolute.hasPrefix(folder.absolute + "/") }
                add(folder.absolute + "/" + ProjectLoader.manifestName, folder.display, excluding: Set(deeper.map(\.absolute)))
            }
        }
        guard order.count > 1 else { return [ProjectPaths(paths: arguments, excluding: groups[order[0]]?.excluding ?? [])] }
        return order.compactMap { groups[$0] }
    }

    /// `split`, less the parts with no YAML file of their own (a folder that
    /// only holds other projects), unless every part is empty.
    public static func splitNonEmpty(paths: [String], currentDirectory: String) -> [ProjectPaths] {
        let parts = split(paths: paths, currentDirectory: currentDirectory)
        guard parts.count > 1 else { return parts }
        let nonEmpty = parts.filter { part in
            guard case .success(let p) = load(paths: part.paths, currentDirectory: currentDirectory,
                                              excluding: part.excluding) else { return true }
            return !p.files.isEmpty || !p.testFiles.isEmpty
        }
        return nonEmpty.isEmpty ? parts : nonEmpty
    }

    /// Loads every project `paths` span (see `split`). A folder that only
    /// holds other projects (`examples/`) adds no empty project of its own.
    public static func loadAll(paths: [String], currentDirectory: String) -> Result<[Project], LoadError> {
        let parts = split(paths: paths, currentDirectory: currentDirectory)
        var projects: [Project] = []
        for part in parts {
            switch load(paths: part.paths, currentDirectory: currentDirectory, excluding: part.excluding) {
            case .success(let project): projects.append(project)
            case .failure(let error): return .failure(error)
            }
        }
        let nonEmpty = projects.filter { !$0.files.isEmpty || !$0.testFiles.isEmpty }
        if projects.count > 1, !nonEmpty.isEmpty { projects = nonEmpty }
        return .success(projects)
    }

    /// Folders strictly inside `folder` that hold a manifest (hidden folders
    /// skipped, symbolic-link loops entered once), in sorted order.
    static func nestedProjectFolders(in folder: LoadPath) -> [LoadPath] {
        var found: [LoadPath] = []
        var visited: Set<String> = []
        var stack = [folder]
        while let current = stack.popLast() {
            guard visited.insert((current.absolute as NSString).resolvingSymlinksInPath).inserted,
                  let names = try? FileManager.default.contentsOfDirectory(atPath: current.absolute) else { continue }
            if current.absolute != folder.absolute, names.contains(ProjectLoader.manifestName),
               PathTools.kind(of: current.appending(ProjectLoader.manifestName).absolute) == false {
                found.append(current)
            }
            for name in names.sorted().reversed() where !name.hasPrefix(".") {
                let entry = current.appending(name)
                if PathTools.kind(of: entry.absolute) == true { stack.append(entry) }
            }
        }
        return found.sorted { $0.absolute < $1.absolute }
    }
}
