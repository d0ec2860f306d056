/// `ivr-project.yaml` (section 8).
extension FlowBuilder {
    static let manifestFields: FieldNames = ["name", "flows", "audio", "directory", "sip"]
    static let directoryFields: FieldNames = ["extensions", "conferences", "groups", "apps"]
    static let sipFields: FieldNames = ["pbx", "trunk", "transfer", "outbound-proxy", "credentials", "register", "inbound"]

    mutating func buildManifest(_ root: YAMLNode) -> Manifest? {
        withExtendedLifetime(root) { buildManifest(view: YAMLView(root)) }
    }

    private mutating func buildManifest(view root: YAMLView) -> Manifest? {
        var manifest = Manifest(file: sink.file)
        guard let f = fields(of: root, in: "the manifest", allowed: Self.manifestFields) else {
            return nil
        }
        manifest.name = f["name"].flatMap { locatedString($0, "name") }
        manifest.flows = f["flows"].flatMap { locatedString($0, "flows") }
        manifest.audio = f["audio"].flatMap { locatedString($0, "audio") }
        if let node = f["directory"],
           let d = fields(of: node, in: "directory", allowed: Self.directoryFields) {
            var directory = Manifest.Directory(range: node.range)
            directory.extensions = d["extensions"].map { stringList($0, "extensions") } ?? []
            for entry in directory.extensions where Manifest.Directory.parseExtensionRange(entry.value) == nil {
                sink.emit(.E006, "'\(entry.value)' is not an extension or a range like 1000-1099", at: entry.range)
            }
            directory.conferences = d["conferences"].map { stringList($0, "conferences") } ?? []
            directory.groups = d["groups"].map { stringList($0, "groups") } ?? []
            directory.apps = d["apps"].map { stringList($0, "apps") } ?? []
            manifest.directory = directory
        }
        if let node = f["sip"], let s = fields(of: node, in: "sip", allowed: Self.sipFields) {
            var sip = Manifest.SIPSettings()
            sip.pbx = s["pbx"].flatMap { locatedString($0, "pbx") }
            sip.trunk = s["trunk"].flatMap { locatedString($0, "trunk") }
            if let node = s["transfer"], let text = string(node, "transfer") {
                if let via = Transfer.Via(rawValue: text) {
                    sip.transfer = Located(via, node.range)
                } else {
                    let names = Transfer.Via.allCases.map(\.rawValue)
                    let guess = closestMatch(to: text, in: names)
                    sink.emit(.E006, "'transfer' must be one of \(names.joined(separator: ", ")), found '\(text)'", at: node.range,
                              help: guess.map { "did you mean '\($0)'?" },
                              fix: guess.map { Diagnostic.FixIt(message: "replace with '\($0)'", range: node.range, replacement: $0) })
                }
            }
            sip.outboundProxy = s["outbound-proxy"].flatMap { locatedString($0, "outbound-proxy") }
            sip.credentials = s["credentials"].map { list($0, "credentials") { $0.credential($1) } } ?? []
            sip.register = s["register"].map { list($0, "register") { $0.registration($1) } } ?? []
            sip.inbound = s["inbound"].flatMap { inbound($0) }
            manifest.sip = sip
        }
        return manifest
    }
}

extension Manifest.Directory {
    /// `"100"` or `"1000-1099"` (both ends the same length): the numeric
    /// bounds and the digit count.
    public static func parseExtensionRange(_ s: String) -> (range: ClosedRange<Int>, digits: Int)? {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.count <= 15 && $0.allSatisfy(\.isASCIIDigit) }),
              let low = Int(parts[0]), let high = Int(parts[parts.count - 1]), low <= high,
              parts[0].count == parts[parts.count - 1].count else { return nil }
        return (low...high, parts[0].count)
    }
}
