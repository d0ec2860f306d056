/// An Amazon Connect contact flow (flow language) as one flow.
struct ConnectImporter {
    let text: String

    func draft() throws(ImportError) -> FlowDraft {
        throw ImportError(line: 1, column: 1, "Amazon Connect import is not available yet")
    }
}
