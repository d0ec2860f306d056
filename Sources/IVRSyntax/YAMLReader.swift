/// The result of reading one YAML file: the tree (nil when the file could not
/// be read as one YAML document) and what went wrong.
public struct YAMLDocument: Sendable {
    public var root: YAMLNode?
    public var diagnostics: [Diagnostic]
    public var lines: LineTable
}

/// Reads YAML through libyaml's event API into a `YAMLNode` tree that keeps
/// both marks of every node. This type is the reader's one entry point
/// (the flow parser, the project loader and the test-file parser call it).
///
/// Two paths read the same way (docs/architecture.md, "The YAML reader"):
/// - the fast path, `read`: libyaml's events are copied a block at a time
///   (`YAMLEventProducer`, `YAMLEventBlock`), on a thread of their own for
///   large files (`YAMLEventPipe`); `EventReader` feeds them to
///   `YAMLTreeAssembler`, which builds a flat arena (`YAMLTree`, `TreeBuffer`);
///   all of that is internal machinery behind `read`.
/// - the plain path, `readPlainly`: `PlainYAMLReader`, one event at a time
///   into ordinary values. Tests compare the two on every input they have.
///
/// libyaml is called only in `YAMLEvents.swift` and `PlainYAMLReader.swift`.
///
/// Refused, with a diagnostic and no tree: syntax errors (E001), duplicate keys
/// (E002, the tree is still returned), and E007 for tags other than the core
/// ones, several documents, nesting deeper than `maxDepth`, files larger than
/// `maxFileSize`, and aliases that would expand past `maxAliasExpansion` nodes
/// (a billion-laughs file costs one counter per alias, never an expansion).
public enum YAMLReader {
    public static let maxAliasExpansion = 100_000
    public static let maxDepth = 200
    public static let maxFileSize = 64 << 20

    /// Files from this size up are parsed by libyaml on a second thread while
    /// the tree is built (see `YAMLEventPipe`); smaller ones are not worth a thread.
    static let pipelineThreshold = 128 << 10

    public static func read(_ bytes: [UInt8], file: String) -> YAMLDocument {
        read(bytes, file: file, watching: nil) { _, _ in }.document
    }

    /// `read(_:file:)` with libyaml on a second thread (true) or on the calling
    /// one (false); nil decides by size.
    public static func read(_ bytes: [UInt8], file: String, pipelined: Bool?) -> YAMLDocument {
        read(bytes, file: file, pipelined: pipelined, watching: nil) { _, _ in }.document
    }

    /// The plain path: the same reading as `read(_:file:)`, done the obvious
    /// way (`PlainYAMLReader`: one event at a time on this thread, into
    /// ordinary values). Slower; the tests compare the fast path with it.
    package static func readPlainly(_ bytes: [UInt8], file: String) -> PlainYAMLDocument {
        PlainYAMLReader.read(bytes, file: file)
    }

    /// What `read(_:file:pipelined:watching:onPair:)` found besides the document.
    struct Result {
        var document: YAMLDocument
        /// The mapping under the watched root key, when it was read whole.
        var watchedMapping: Int32?
        /// Pairs of the watched mapping not handed to `onPair` (the reader had
        /// no time left for them), in order; empty when reading failed.
        var remainingPairs: [(key: YAMLNode, value: YAMLNode)] = []
    }

    /// Reads the bytes, calling `onPair` with pairs of the mapping that is the
    /// value of the root key `rootKey` (the first such key), in order, while
    /// the rest of the file is still being parsed; the pairs it did not get
    /// to are in the result. With libyaml on its own thread, a pair is handed
    /// over only while the reader waits for libyaml, so that the reader never
    /// holds libyaml up. `pipelined` forces libyaml onto a second thread
    /// (true) or the calling one (false); by default large files get the thread.
    static func read(_ bytes: [UInt8], file: String, pipelined: Bool? = nil, watching rootKey: String?,
                     onPair: (_ key: YAMLNode, _ value: YAMLNode) -> Void) -> Result {
        if bytes.count > maxFileSize {
            let d = YAMLReaderDiagnostics.fileTooLarge(bytes.count, file: file)
            return Result(document: YAMLDocument(root: nil, diagnostics: [d], lines: LineTable(bytes.prefix(0))))
        }
        let usePipe = pipelined ?? (bytes.count >= pipelineThreshold)
        // NOTE: libyaml (`YAMLEventProducer`, on this thread or the pipe's)
        // reads the bytes through `buffer`, which is valid only inside this
        // closure: the producer is used inside it, and `pipe.finish()` (on
        // every way out, by `defer`) waits until the pipe's thread has
        // stopped calling libyaml. Nothing keeps `buffer` after the closure.
        return bytes.withUnsafeBufferPointer { buffer in
            // Start libyaml first: the line table is built while it parses.
            let pipe = usePipe && !bytes.isEmpty ? YAMLEventPipe(buffer) : nil
            let lines = LineTable(bytes)
            if bytes.isEmpty {
                return Result(document: YAMLDocument(root: nil, diagnostics: [], lines: lines))
            }
            var reader = EventReader(file: file, lines: lines, source: bytes, watching: rootKey)
            var delivered = 0
            /// Hands over the pairs read so far, or (`limit`) only so many.
            func deliver(limit: Int = .max) {
                let pairs = reader.assembler.watchedPairs
                guard delivered < pairs.count else { return }
                let end = pairs.count - delivered > limit ? delivered + limit : pairs.count
                reader.assembler.lend { tree in
                    while delivered < end {
                        onPair(YAMLNode(tree, Int(pairs[delivered].key)), YAMLNode(tree, Int(pairs[delivered].value)))
                        delivered += 1
                    }
                }
            }
            if let pipe {
                defer { pipe.finish() }
                while true {
                    let block: YAMLEventBlock
                    if let ready = pipe.poll() {
                        block = ready
                    } else if delivered < reader.assembler.watchedPairs.count {
                        deliver(limit: 1) // libyaml is busy: meanwhile, one pair
                        continue
                    } else {
                        block = pipe.take()
                    }
                    let more = reader.consume(block) && !block.isLast
                    pipe.release()
                    guard more else { break }
                }
            } else {
                let producer = YAMLEventProducer(buffer)
                let block = YAMLEventBlock()
                while true {
                    producer.fill(block)
                    guard reader.consume(block), !block.isLast else { break }
                    deliver()
                }
                if reader.succeeded { deliver() }
            }
            let succeeded = reader.succeeded
            let rest = succeeded ? Array(reader.assembler.watchedPairs[delivered...]) : []
            let root = reader.finish()
            var result = Result(document: YAMLDocument(root: root, diagnostics: reader.diagnostics, lines: lines),
                                watchedMapping: root == nil ? nil : reader.assembler.watchedMapping)
            if let tree = root?.tree {
                result.remainingPairs = rest.map { (YAMLNode(tree, Int($0.key)), YAMLNode(tree, Int($0.value))) }
            }
            return result
        }
    }

}
