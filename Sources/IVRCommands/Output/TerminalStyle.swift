/// ANSI styling for human output; every method returns its text unchanged
/// when colour is off.
struct TerminalStyle: Sendable {
    var enabled: Bool

    private static let reset = "\u{1B}[0m"

    func bold(_ text: String) -> String { wrap(text, "1") }
    func red(_ text: String) -> String { wrap(text, "1;31") }
    func yellow(_ text: String) -> String { wrap(text, "1;33") }
    func blue(_ text: String) -> String { wrap(text, "1;34") }
    func cyan(_ text: String) -> String { wrap(text, "1;36") }
    func green(_ text: String) -> String { wrap(text, "1;32") }

    private func wrap(_ text: String, _ code: String) -> String {
        enabled && !text.isEmpty ? "\u{1B}[\(code)m" + text + Self.reset : text
    }
}
