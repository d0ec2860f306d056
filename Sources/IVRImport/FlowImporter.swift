/// The entry point of the importers: source text of one platform in, one
/// ivrc flow out.
public enum FlowImporter {
    /// Reads `text` as `format` and writes it as a flow named `name` (by
    /// default a name taken from the source). Throws `ImportError` when the
    /// text is not a valid file of that format.
    public static func importFlow(_ format: ImportFormat, text: String, name: String? = nil) throws(ImportError) -> ImportResult {
        var draft: FlowDraft
        switch format {
        case .freeswitch: draft = try FreeSWITCHImporter(text: text).draft()
        case .studio: draft = try StudioImporter(text: text).draft()
        case .connect: draft = try ConnectImporter(text: text).draft()
        }
        if let name { draft.name = name }
        return ImportResult(yaml: draft.yaml, warnings: draft.sortedWarnings)
    }
}
