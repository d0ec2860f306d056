/// A Twilio Studio flow definition as one flow.
struct StudioImporter {
    let text: String

    func draft() throws(ImportError) -> FlowDraft {
        throw ImportError(line: 1, column: 1, "Twilio Studio import is not available yet")
    }
}
