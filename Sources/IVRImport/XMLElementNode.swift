/// An XML element with its attributes, children and the position of its
/// start tag's `<` (1-based line and column).
final class XMLElementNode: @unchecked Sendable {
    let name: String
    let attributes: [String: String]
    let line: Int
    let column: Int
    var children: [XMLElementNode] = []

    init(name: String, attributes: [String: String], line: Int, column: Int) {
        self.name = name
        self.attributes = attributes
        self.line = line
        self.column = column
    }

    /// Every element below this one named `name`, in document order.
    func descendants(named name: String) -> [XMLElementNode] {
        children.flatMap { ($0.name == name ? [$0] : []) + $0.descendants(named: name) }
    }
}
