import Foundation
import IVRBytecode
import IVRSyntax

/// Which URL receives each flow's events (`events.url`), read from the flow
/// sources or from a bundle (its flow table carries `events.url`).
public struct EventsDirectory: Sendable, Equatable {
    /// Flow name -> `events.url` as written (it may use `${flow}`, `${caller}`, `${called}`).
    public var urls: [String: String]

    public init(urls: [String: String] = [:]) { self.urls = urls }

    /// The `events.url` of every flow of a bundle.
    public init(bundle: VerifiedBundle) {
        var urls: [String: String] = [:]
        for i in bundle.flows.indices {
            if let url = bundle.eventsURL(i) { urls[bundle.flowName(i)] = url }
        }
        self.urls = urls
    }

    /// Reads every flow file under `paths` (files or folders, as `check` takes
    /// them); files that do not parse are skipped (the build reports them).
    public init(paths: [String], currentDirectory: String) {
        var urls: [String: String] = [:]
        let bundles = paths.filter { BundleFormat.isBundle(path: $0, currentDirectory: currentDirectory) }
        for path in bundles {
            let full = path.hasPrefix("/") ? path : currentDirectory + "/" + path
            guard let data = FileManager.default.contents(atPath: full),
                  let bundle = try? Bundle.load(Array(data)) else { continue }
            urls.merge(EventsDirectory(bundle: bundle).urls) { first, _ in first }
        }
        let sources = paths.filter { !bundles.contains($0) }
        for file in sources.isEmpty && !paths.isEmpty ? [] : Self.flowFiles(paths: sources, currentDirectory: currentDirectory) {
            guard let data = FileManager.default.contents(atPath: file),
                  let flow = FlowParser.parseFlow(Array(data), file: file).flow,
                  let url = flow.events?.url.value.raw else { continue }
            urls[flow.name.value] = url
        }
        self.urls = urls
    }

    /// The URL for a call of `flow`, with the built-in variables it names filled in.
    public func url(flow: String, caller: String?, called: String?) -> String? {
        guard let raw = urls[flow] else { return nil }
        return raw.replacingOccurrences(of: "${flow}", with: flow)
            .replacingOccurrences(of: "${caller}", with: caller ?? "")
            .replacingOccurrences(of: "${called}", with: called ?? "")
    }

    static func flowFiles(paths: [String], currentDirectory: String) -> [String] {
        let fm = FileManager.default
        var files: [String] = []
        for path in paths.isEmpty ? ["."] : paths {
            let full = path.hasPrefix("/") ? path : currentDirectory + "/" + path
            var isFolder: ObjCBool = false
            guard fm.fileExists(atPath: full, isDirectory: &isFolder) else { continue }
            if !isFolder.boolValue {
                files.append(full)
                continue
            }
            for case let relative as String in fm.enumerator(atPath: full)?.allObjects ?? [] {
                let name = (relative as NSString).lastPathComponent
                guard name.hasSuffix(".yaml") || name.hasSuffix(".yml"), !name.hasSuffix(".test.yaml"),
                      name != "ivr-project.yaml" else { continue }
                files.append(full + "/" + relative)
            }
        }
        return files.sorted()
    }
}
