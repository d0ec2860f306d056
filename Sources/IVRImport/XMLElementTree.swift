import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An XML element with its attributes, children and the source line its
/// start tag ends on (what the parser reports).
final class XMLElementNode: @unchecked Sendable {
    let name: String
    let attributes: [String: String]
    var line: Int
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

/// Reads XML text into `XMLElementNode`s with Foundation's `XMLParser`; a
/// document that is not well-formed is an `ImportError` at the parser's position.
enum XMLElementTree {
    static func parse(_ text: String) throws(ImportError) -> XMLElementNode {
        let parser = XMLParser(data: Data(text.utf8))
        let builder = Builder()
        parser.delegate = builder
        parser.shouldResolveExternalEntities = false
        let ok = parser.parse()
        if let error = builder.error {
            throw error
        }
        if !ok || parser.parserError != nil {
            throw ImportError(line: max(parser.lineNumber, 1), column: max(parser.columnNumber, 1),
                              "the file is not well-formed XML")
        }
        guard let root = builder.root else { throw ImportError(line: 1, column: 1, "the file has no XML element") }
        startLines(root, lines: text.split(separator: "\n", omittingEmptySubsequences: false))
        return root
    }

    /// The parser reports where a start tag ends; a tag written over several
    /// lines is moved to the line its `<name` is on.
    static func startLines(_ node: XMLElementNode, lines: [Substring]) {
        var line = min(node.line, lines.count)
        while line > 1, !lines[line - 1].contains("<" + node.name) { line -= 1 }
        if line >= 1, line <= lines.count, lines[line - 1].contains("<" + node.name) { node.line = line }
        for child in node.children { startLines(child, lines: lines) }
    }

    /// The parser's delegate: builds the tree, keeps the first error.
    private final class Builder: NSObject, XMLParserDelegate {
        var root: XMLElementNode?
        var stack: [XMLElementNode] = []
        var error: ImportError?

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
            let node = XMLElementNode(name: elementName, attributes: attributeDict,
                                      line: parser.lineNumber, column: parser.columnNumber)
            if let parent = stack.last { parent.children.append(node) } else if root == nil { root = node }
            stack.append(node)
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?) {
            _ = stack.popLast()
        }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
            guard error == nil else { return }
            let detail = Self.reason(parseError)
            error = ImportError(line: max(parser.lineNumber, 1), column: max(parser.columnNumber, 1),
                                "the file is not well-formed XML" + (detail.map { ": \($0)" } ?? ""))
        }

        func parser(_ parser: XMLParser, validationErrorOccurred validationError: any Error) {
            self.parser(parser, parseErrorOccurred: validationError)
        }

        /// The libxml2 error name, when Foundation gives one.
        static func reason(_ error: any Error) -> String? {
            let code = (error as NSError).code
            let names: [Int: String] = [
                4: "the document is empty", 5: "the document ends before its elements are closed",
                76: "an end tag does not match its start tag",
                89: "entities refer to themselves or expand too far (refused, not expanded)",
            ]
            return names[code] ?? "XMLParser error \(code)"
        }
    }
}
