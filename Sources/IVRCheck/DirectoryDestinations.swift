import IVRSyntax

/// E203: a transfer to an extension, conference, group or app that the
/// manifest's `directory` does not list. Only when the manifest has a
/// directory, and only for constant destinations (an interpolated one is
/// guarded by `allow`). Extensions may be listed as ranges (`1000-1099`).
enum DirectoryDestinations: FlowCheck {
    static func run(_ analysis: FlowAnalysis, _ context: CheckContext, _ out: inout [Diagnostic]) {
        guard let manifest = context.project.manifest, let directory = manifest.directory else { return }
        let ranges = directory.extensions.compactMap { Manifest.Directory.parseExtensionRange($0.value) }
        for entry in analysis.index.entries(.transfer) {
            guard case .transfer(let t) = entry.step.kind, t.destination.value.value.isConstant else { continue }
            let value = t.destination.value.value.raw
            let listed: [Located<String>]
            switch t.destination.kind {
            case .extension:
                if let number = Int(value), value.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
                   ranges.contains(where: { $0.digits == value.count && $0.range.contains(number) }) { continue }
                listed = directory.extensions
            case .conference: listed = directory.conferences
            case .group: listed = directory.groups
            case .app: listed = directory.apps
            case .number, .sip, .ivr: continue
            }
            if listed.contains(where: { $0.value == value }) { continue }
            out.append(.notInDirectory(t.destination, listed: listed.map(\.value), manifest: manifest, in: analysis.flow))
        }
    }
}

fileprivate extension Diagnostic {
    static func notInDirectory(_ d: Destination, listed: [String], manifest: Manifest, in flow: Flow) -> Diagnostic {
        let value = d.value.value.raw
        let kinds = d.kind == .extension ? "extensions" : d.kind == .conference ? "conferences" : "\(d.kind.rawValue)s"
        let guess = d.kind == .extension ? nil : closestMatch(to: value, in: listed)
        let shown = listed.count <= 12 ? listed.joined(separator: ", ") : listed.prefix(12).joined(separator: ", ") + ", ..."
        return Diagnostic(
            .E203, "\(d.kind.rawValue) '\(value)' is not in the project's directory",
            file: flow.file, range: d.value.range,
            notes: [Note(listed.isEmpty ? "the directory lists no \(kinds)" : "the directory's \(kinds): \(shown)",
                         file: manifest.file, range: manifest.directory?.range)],
            help: guess.map { "did you mean '\($0)'?" } ?? "add it to 'directory: \(kinds):' in \(manifest.file), or fix the destination",
            fix: guess.map { FixIt(message: "replace with '\($0)'", range: d.value.range, replacement: FixIt.scalar($0)) })
    }
}
