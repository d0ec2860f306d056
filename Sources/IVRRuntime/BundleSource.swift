import Foundation
import IVRBytecode

/// Where a call's bundle comes from: one bundle file, or flow sources
/// compiled with `FlowBuild` (and loaded back through the verifier, so both
/// run the same code); and which of its flows the call runs.
public enum BundleSource {
    /// One bundle (`.ivrb`, or any file that starts with the bundle's magic
    /// number); anything else is sources to build.
    public static func load(paths: [String], currentDirectory: String) -> Result<VerifiedBundle, BundleSourceError> {
        loadWithBytes(paths: paths, currentDirectory: currentDirectory).map(\.bundle)
    }

    /// `load`, with the bundle's bytes: the file's as read, or those the
    /// sources compiled to (what a call record's `bundle` hash is of).
    public static func loadWithBytes(paths: [String], currentDirectory: String)
        -> Result<(bundle: VerifiedBundle, bytes: [UInt8]), BundleSourceError> {
        let bundles = paths.filter { BundleFormat.isBundle(path: $0, currentDirectory: currentDirectory) }
        if paths.count > 1, let bundle = bundles.first { return .failure(.bundleAndSources(bundle: bundle)) }
        if paths.count == 1, bundles.count == 1 {
            let abs = FilePaths.absolute(paths[0], cwd: currentDirectory)
            guard let data = FileManager.default.contents(atPath: abs) else { return .failure(.unreadable(path: paths[0])) }
            let bytes = [UInt8](data)
            do {
                return .success((try Bundle.load(bytes), bytes))
            } catch {
                return .failure(.invalid(path: paths[0], error))
            }
        }
        return FlowBuild.build(paths: paths, currentDirectory: currentDirectory).map { ($0.bundle, $0.bytes) }.mapError { .build($0) }
    }

    /// `--flow` by name or extension; without it, the only flow.
    public static func pickFlow(_ bundle: VerifiedBundle, _ name: String?) -> Result<Int, BundleSourceError> {
        if let name {
            guard let i = bundle.flowIndex(name) else { return .failure(.noFlowNamed(name, flows: bundle.flowNames)) }
            return .success(i)
        }
        guard bundle.flows.count == 1 else { return .failure(.severalFlows(bundle.flowNames)) }
        return .success(0)
    }
}

/// Why `BundleSource` gave no bundle or no flow.
public enum BundleSourceError: Error, Sendable {
    /// A bundle given together with other paths.
    case bundleAndSources(bundle: String)
    /// The bundle file cannot be read.
    case unreadable(path: String)
    /// The bundle file is not a valid bundle.
    case invalid(path: String, BundleError)
    /// The sources did not build.
    case build(FlowBuildError)
    /// No flow has this name or extension.
    case noFlowNamed(String, flows: [String])
    /// No flow was named and the bundle holds several.
    case severalFlows([String])
}
