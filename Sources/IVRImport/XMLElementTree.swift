/// Reads XML text into `XMLElementNode`s: elements and their attributes, with
/// the position of each start tag; text, comments, CDATA and processing
/// instructions are checked and skipped. A document that is not well-formed
/// is an `ImportError` where the problem is. A DOCTYPE's internal entities
/// are expanded within `XMLEntities`' bounds; nothing external is read.
///
/// Written for `ivrc import freeswitch` instead of Foundation's `XMLParser`,
/// which would load FoundationXML, libxml2 and the system's ICU into every
/// `ivrc` process at start-up.
enum XMLElementTree {
    /// Elements nested deeper than this are refused (libxml2's default limit).
    static let depthLimit = 256

    static func parse(_ text: String) throws(ImportError) -> XMLElementNode {
        var cursor = XMLCursor(text)
        try checkCharacters(cursor)
        var entities = XMLEntities()
        try prolog(&cursor, &entities)
        if cursor.atEnd { throw cursor.error("the document is empty") }
        guard cursor.current == UInt8(ascii: "<") else { throw cursor.error("a start tag is expected") }
        let root = try elements(&cursor, &entities)
        try skipMisc(&cursor)
        guard cursor.atEnd else { throw cursor.error("only comments may follow the root element") }
        return root
    }

    /// Control characters other than tab and line breaks are not XML.
    static func checkCharacters(_ start: XMLCursor) throws(ImportError) {
        guard let bad = start.bytes.firstIndex(where: { $0 < 0x20 && !XMLCursor.isSpace($0) }) else { return }
        var cursor = start
        cursor.advance(by: bad - cursor.offset)
        throw cursor.error("a control character XML does not allow")
    }

    /// The XML declaration, comments, processing instructions and the DOCTYPE before the root element.
    static func prolog(_ cursor: inout XMLCursor, _ entities: inout XMLEntities) throws(ImportError) {
        if cursor.looksAt("<?xml"), let after = cursor.bytes.dropFirst(cursor.offset + 5).first, XMLCursor.isSpace(after) {
            try cursor.skip(past: "?>", unterminated: "the document ends inside its XML declaration")
        }
        var sawDoctype = false
        while true {
            try skipMisc(&cursor)
            guard cursor.looksAt("<!DOCTYPE") else { return }
            if sawDoctype { throw cursor.error("a second DOCTYPE") }
            sawDoctype = true
            try doctype(&cursor, &entities)
        }
    }

    /// White space, comments and processing instructions.
    static func skipMisc(_ cursor: inout XMLCursor) throws(ImportError) {
        while true {
            cursor.skipSpaces()
            if cursor.looksAt("<!--") {
                try comment(&cursor)
            } else if cursor.looksAt("<?") {
                try processingInstruction(&cursor)
            } else {
                return
            }
        }
    }

    static func comment(_ cursor: inout XMLCursor) throws(ImportError) {
        cursor.advance(by: 4)
        while !cursor.skip("-->") {
            if cursor.atEnd { throw cursor.error("the document ends inside a comment") }
            if cursor.looksAt("--") { throw cursor.error("a comment holds '--'") }
            cursor.advance()
        }
    }

    static func processingInstruction(_ cursor: inout XMLCursor) throws(ImportError) {
        let at = cursor.mark
        cursor.advance(by: 2)
        let target = try cursor.readName()
        if target.lowercased() == "xml" { throw cursor.error("the XML declaration must open the document", at: at) }
        try cursor.skip(past: "?>", unterminated: "the document ends inside a processing instruction")
    }

    /// `<!DOCTYPE name [SYSTEM|PUBLIC ...] [internal subset]>`: keeps the
    /// general entities the internal subset declares, skips the rest.
    static func doctype(_ cursor: inout XMLCursor, _ entities: inout XMLEntities) throws(ImportError) {
        cursor.advance(by: 9)
        guard cursor.skipSpaces() else { throw cursor.error("the DOCTYPE needs a name") }
        _ = try cursor.readName()
        cursor.skipSpaces()
        try externalID(&cursor)
        cursor.skipSpaces()
        if cursor.skip("[") {
            while true {
                cursor.skipSpaces()
                if cursor.skip("]") { break }
                if cursor.looksAt("<!ENTITY") {
                    try entity(&cursor, &entities)
                } else if cursor.looksAt("<!--") {
                    try comment(&cursor)
                } else if cursor.looksAt("<?") {
                    try processingInstruction(&cursor)
                } else if cursor.looksAt("<!") {
                    try declaration(&cursor)
                } else if cursor.skip("%") {
                    _ = try cursor.readName()
                    guard cursor.skip(";") else { throw cursor.error("a parameter-entity reference does not end with ';'") }
                } else {
                    throw cursor.error(cursor.atEnd ? "the document ends inside its DOCTYPE"
                                       : "the DOCTYPE holds something other than declarations")
                }
            }
            cursor.skipSpaces()
        }
        guard cursor.skip(">") else { throw cursor.error("the DOCTYPE does not end with '>'") }
    }

    /// `SYSTEM "uri"` or `PUBLIC "id" "uri"`, when there; whether there was one.
    @discardableResult
    static func externalID(_ cursor: inout XMLCursor) throws(ImportError) -> Bool {
        if cursor.skip("SYSTEM") {
            cursor.skipSpaces()
            _ = try cursor.readQuoted()
            return true
        }
        if cursor.skip("PUBLIC") {
            cursor.skipSpaces()
            _ = try cursor.readQuoted()
            cursor.skipSpaces()
            _ = try cursor.readQuoted()
            return true
        }
        return false
    }

    /// `<!ENTITY [%] name "text">` or an external one (`SYSTEM ...`, never read).
    static func entity(_ cursor: inout XMLCursor, _ entities: inout XMLEntities) throws(ImportError) {
        cursor.advance(by: 8)
        guard cursor.skipSpaces() else { throw cursor.error("an ENTITY declaration needs a name") }
        let parameter = cursor.skip("%")
        if parameter { cursor.skipSpaces() }
        let name = try cursor.readName()
        cursor.skipSpaces()
        if try externalID(&cursor) {
            cursor.skipSpaces()
            if cursor.skip("NDATA") {
                cursor.skipSpaces()
                _ = try cursor.readName()
            }
            if !parameter { entities.declareExternal(name) }
        } else {
            let text = try cursor.readQuoted()
            if !parameter { entities.declare(name, text: text) }
        }
        cursor.skipSpaces()
        guard cursor.skip(">") else { throw cursor.error("an ENTITY declaration does not end with '>'") }
    }

    /// Any other markup declaration (`<!ELEMENT`, `<!ATTLIST`, ...), skipped to its `>`.
    static func declaration(_ cursor: inout XMLCursor) throws(ImportError) {
        cursor.advance(by: 2)
        while !cursor.skip(">") {
            if cursor.atEnd { throw cursor.error("the document ends inside its DOCTYPE") }
            if cursor.current == UInt8(ascii: "\"") || cursor.current == UInt8(ascii: "'") {
                _ = try cursor.readQuoted()
            } else {
                cursor.advance()
            }
        }
    }

    /// The root element and everything in it, read with a stack of open elements.
    static func elements(_ cursor: inout XMLCursor, _ entities: inout XMLEntities) throws(ImportError) -> XMLElementNode {
        let (root, closed) = try startTag(&cursor, &entities)
        var open = closed ? [] : [root]
        var text: [UInt8] = []
        while let parent = open.last {
            if cursor.atEnd { throw cursor.error("the document ends before its elements are closed") }
            if cursor.looksAt("</") {
                let at = cursor.mark
                cursor.advance(by: 2)
                let name = try cursor.readName()
                cursor.skipSpaces()
                guard cursor.skip(">") else { throw cursor.error("an end tag does not end with '>'") }
                guard name == parent.name else { throw cursor.error("an end tag does not match its start tag", at: at) }
                open.removeLast()
            } else if cursor.looksAt("<!--") {
                try comment(&cursor)
            } else if cursor.looksAt("<![CDATA[") {
                try cursor.skip(past: "]]>", unterminated: "the document ends inside a CDATA section")
            } else if cursor.looksAt("<?") {
                try processingInstruction(&cursor)
            } else if cursor.current == UInt8(ascii: "<") {
                let (child, closed) = try startTag(&cursor, &entities)
                parent.children.append(child)
                if !closed {
                    guard open.count < depthLimit else { throw cursor.error("elements nest deeper than \(depthLimit) levels") }
                    open.append(child)
                }
            } else if cursor.current == UInt8(ascii: "&") {
                // Text is not kept, but its references must expand (and count against the budget).
                text.removeAll(keepingCapacity: true)
                try reference(&cursor, &entities, into: &text, attribute: false)
            } else {
                cursor.advance()
            }
        }
        return root
    }

    /// `<name attr="value" ...>` or `<name ... />` (then `closed`).
    static func startTag(_ cursor: inout XMLCursor, _ entities: inout XMLEntities) throws(ImportError)
        -> (node: XMLElementNode, closed: Bool) {
        let at = cursor.mark
        cursor.advance()
        let name = try cursor.readName()
        var attributes: [String: String] = [:]
        while true {
            let spaced = cursor.skipSpaces()
            let closed = cursor.skip("/>")
            if closed || cursor.skip(">") {
                return (XMLElementNode(name: name, attributes: attributes, line: at.line, column: at.column), closed)
            }
            if cursor.atEnd { throw cursor.error("the document ends inside a start tag") }
            guard spaced else { throw cursor.error("attributes must be separated by white space") }
            let attributeAt = cursor.mark
            let attribute = try cursor.readName()
            cursor.skipSpaces()
            guard cursor.skip("=") else { throw cursor.error("an attribute needs '=' and a quoted value") }
            cursor.skipSpaces()
            let value = try attributeValue(&cursor, &entities)
            guard attributes[attribute] == nil else {
                throw cursor.error("the attribute '\(attribute)' appears twice in a tag", at: attributeAt)
            }
            attributes[attribute] = value
        }
    }

    /// A quoted attribute value with its references expanded and its line
    /// breaks and tabs as spaces (XML's attribute-value normalisation).
    static func attributeValue(_ cursor: inout XMLCursor, _ entities: inout XMLEntities) throws(ImportError) -> String {
        guard let quote = cursor.current, quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else {
            throw cursor.error("an attribute value must be quoted")
        }
        cursor.advance()
        var value: [UInt8] = []
        while true {
            guard let byte = cursor.current else { throw cursor.error("the document ends inside an attribute value") }
            if byte == quote {
                cursor.advance()
                return String(decoding: value, as: UTF8.self)
            }
            if byte == UInt8(ascii: "<") { throw cursor.error("'<' is not allowed in an attribute value") }
            if byte == UInt8(ascii: "&") {
                try reference(&cursor, &entities, into: &value, attribute: true)
                continue
            }
            let crlf = byte == 0x0D && cursor.bytes.dropFirst(cursor.offset + 1).first == 0x0A
            if !crlf {
                let start = cursor.offset
                cursor.advance()
                value.append(contentsOf: XMLCursor.isSpace(byte) ? [0x20] : cursor.bytes[start..<cursor.offset])
            } else {
                cursor.advance()
            }
        }
    }

    /// The reference at the cursor (`&...;`) expanded onto `out`; an error is placed at its `&`.
    static func reference(_ cursor: inout XMLCursor, _ entities: inout XMLEntities, into out: inout [UInt8],
                          attribute: Bool) throws(ImportError) {
        do {
            let end = try entities.expand(in: cursor.bytes, at: cursor.offset, into: &out, attribute: attribute)
            cursor.advance(by: end - cursor.offset)
        } catch {
            throw cursor.error(error.detail)
        }
    }
}
