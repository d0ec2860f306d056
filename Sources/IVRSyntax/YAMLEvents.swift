internal import CYAML

/// One libyaml event, copied out of libyaml into plain values so that it can
/// be handed to another thread (see `YAMLEventPipe`). Marks are libyaml's
/// 0-based line and column; text (a scalar's value, an anchor, a tag) lives
/// in the `YAMLEventBlock` that holds the event, as an offset and a length.
struct YAMLEvent {
    enum Kind: UInt8 {
        case documentStart, alias, scalar, sequenceStart, mappingStart, collectionEnd, streamEnd, other
    }

    var kind: Kind
    var style: YAMLNode.ScalarStyle
    var startLine: Int32
    var startColumn: Int32
    var endLine: Int32
    var endColumn: Int32
    /// The scalar's value (scalars), or the anchor's name (aliases).
    var text: Int32 = 0
    var textCount: Int32 = 0
    /// The node's own anchor (`&name`), -1 when none.
    var anchor: Int32 = -1
    var anchorCount: Int32 = 0
    /// The node's tag, -1 when none.
    var tag: Int32 = -1
    var tagCount: Int32 = 0
    /// Scalars: the first eight bytes of the value (see `YAMLStorage.prefix`)
    /// and whether it is pure ASCII, found while the bytes are at hand.
    var prefix: UInt64 = 0
    var isASCII = true
    /// Collections: written in flow style (`{...}`, `[...]`). A block
    /// collection's end mark is where the next token starts (often the next
    /// line), so the reader ends it at its last child instead.
    var isFlow = false
}

/// Why libyaml stopped: its own words and marks, kept for E001.
struct YAMLParseFailure: Sendable {
    var problem: String?
    var context: String?
    var problemLine: Int
    var problemColumn: Int
    var contextLine: Int
    var contextColumn: Int
    /// libyaml could not even start.
    var couldNotStart = false
    /// For an encoding error (libyaml's reader: invalid UTF-8, control
    /// characters), the byte offset of the bad byte; libyaml sets no marks then.
    var readerOffset: Int? = nil
}

/// A run of events in file order and the bytes they refer to. A block is
/// filled by one thread and then read by another (never both at once: the
/// pipe hands it over), so it holds plain buffers, not arrays.
// NOTE: `@unchecked Sendable` and `@exclusivity(unchecked)`: a block is used
// by one thread at a time, and `YAMLEventPipe`'s semaphores order the hand-
// overs (see its NOTE); the dynamic exclusivity checks would cost more than
// the copies they guard. Ownership: the block allocates `events` and `bytes`
// and frees them in `deinit`; nothing else frees or keeps them (`text` and
// `storedBytes` are read at once by `EventReader.consume`, before the block
// goes back to the producer).
final class YAMLEventBlock: @unchecked Sendable {
    static let capacity = 1024

    let events: UnsafeMutablePointer<YAMLEvent>
    @exclusivity(unchecked) private(set) var count = 0
    @exclusivity(unchecked) private(set) var bytes: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private var byteCapacity: Int
    @exclusivity(unchecked) private var byteCount = 0
    /// Set on the block that ends the stream: after a stream end, a libyaml
    /// error (`failure`), or a stop asked by the reader.
    @exclusivity(unchecked) var isLast = false
    @exclusivity(unchecked) var failure: YAMLParseFailure?

    init() {
        events = .allocate(capacity: Self.capacity)
        byteCapacity = 16 << 10
        bytes = .allocate(capacity: byteCapacity)
    }

    deinit {
        events.deallocate()
        bytes.deallocate()
    }

    var isFull: Bool { count == Self.capacity }

    func reset() {
        count = 0
        byteCount = 0
        isLast = false
        failure = nil
    }

    func append(_ event: YAMLEvent) {
        // NOTE: callers stop at `isFull` (`fill`), so `count < capacity` here.
        precondition(count < Self.capacity)
        (events + count).initialize(to: event)
        count += 1
    }

    /// Copies `n` bytes in; returns their offset.
    // NOTE: `source` is a libyaml string of at least `n` bytes, valid until
    // the event is deleted, which is after `convert` returns; `grow` makes
    // room before the copy.
    @inline(__always)
    func store(_ source: UnsafePointer<UInt8>?, _ n: Int) -> Int32 {
        let offset = byteCount
        guard let source, n > 0 else { return Int32(offset) }
        if byteCount + n > byteCapacity { grow(byteCount + n) }
        (bytes + byteCount).update(from: source, count: n)
        byteCount += n
        return Int32(offset)
    }

    // NOTE: the old buffer is copied (`byteCount` bytes, all initialized) and
    // freed; no pointer to it is kept (offsets, not pointers, name the text).
    @inline(never)
    private func grow(_ needed: Int) {
        var grown = byteCapacity * 2
        while grown < needed { grown *= 2 }
        let new = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        new.update(from: bytes, count: byteCount)
        bytes.deallocate()
        bytes = new
        byteCapacity = grown
    }

    /// The bytes at `offset`.
    // NOTE: offsets and counts come from `store` on this block, so they lie
    // within `byteCount`; the buffer is valid until the block is refilled.
    func text(_ offset: Int32, _ n: Int32) -> UnsafeBufferPointer<UInt8> {
        precondition(offset >= 0 && n >= 0 && Int(offset) + Int(n) <= byteCount)
        return UnsafeBufferPointer(start: bytes + Int(offset), count: Int(n))
    }

    /// All the bytes stored, in order (offsets index into them).
    // NOTE: the initialized part of the buffer; valid until the block is refilled.
    var storedBytes: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: bytes, count: byteCount)
    }
}

/// A libyaml parser over a buffer, producing `YAMLEvent`s a block at a time.
/// With `YAMLReader.countEvents` and the plain path (`PlainYAMLReader`), the only code that calls libyaml.
// NOTE: `@unchecked Sendable`: made on the reader's thread, then used only by
// the one thread that fills blocks (the pipe's, or the reader's), so the
// dynamic exclusivity check on every `&parser` would only cost time.
final class YAMLEventProducer: @unchecked Sendable {
    @exclusivity(unchecked) private var parser = yaml_parser_t()
    private let started: Bool

    // NOTE: libyaml keeps `bytes` and reads it in `yaml_parser_parse` (in
    // `fill`); the caller keeps it valid while `fill` may be called (see the
    // NOTE in `YAMLReader.read`). `yaml_parser_delete` does not read it.
    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        started = yaml_parser_initialize(&parser) == 1
        if started { yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count) }
    }

    deinit {
        if started { yaml_parser_delete(&parser) }
    }

    /// Fills `block` (reset first) until it is full or the stream ends.
    func fill(_ block: YAMLEventBlock) {
        block.reset()
        guard started else {
            block.failure = .couldNotStart
            block.isLast = true
            return
        }
        var event = yaml_event_t()
        while !block.isFull {
            guard yaml_parser_parse(&parser, &event) == 1 else {
                block.failure = YAMLParseFailure(parser)
                block.isLast = true
                return
            }
            // NOTE: the pointer is used only inside the closure, before the event is deleted.
            let converted = withUnsafePointer(to: &event) { Self.convert($0, into: block) }
            yaml_event_delete(&event)
            block.append(converted)
            if converted.kind == .streamEnd {
                block.isLast = true
                return
            }
        }
    }

    private static func convert(_ pointer: UnsafePointer<yaml_event_t>, into block: YAMLEventBlock) -> YAMLEvent {
        // NOTE: fields are read through the pointer: a copy of the whole event
        // (a C struct with a union) per event cost more than the fields read.
        // Only the union member of the event's `type` is read; its strings
        // are copied into the block (`store`) before the event is deleted.
        let start = pointer.pointee.start_mark, end = pointer.pointee.end_mark
        var e = YAMLEvent(kind: .other, style: .plain,
                          startLine: Int32(truncatingIfNeeded: start.line), startColumn: Int32(truncatingIfNeeded: start.column),
                          endLine: Int32(truncatingIfNeeded: end.line), endColumn: Int32(truncatingIfNeeded: end.column))
        switch pointer.pointee.type {
        case YAML_SCALAR_EVENT:
            let value = pointer.pointee.data.scalar.value, length = Int(pointer.pointee.data.scalar.length)
            let tag = pointer.pointee.data.scalar.tag
            e.kind = .scalar
            e.style = YAMLNode.ScalarStyle(pointer.pointee.data.scalar.style, tagged: tag != nil)
            e.text = block.store(value, length)
            e.textCount = Int32(truncatingIfNeeded: length)
            (e.prefix, e.isASCII) = Self.prefixAndASCII(value, length)
            let anchor = pointer.pointee.data.scalar.anchor
            if anchor != nil || tag != nil { attach(anchor: anchor, tag: tag, to: &e, block) }
        case YAML_ALIAS_EVENT:
            e.kind = .alias
            (e.text, e.textCount) = storeCString(pointer.pointee.data.alias.anchor, block)
        case YAML_SEQUENCE_START_EVENT:
            e.kind = .sequenceStart
            e.isFlow = pointer.pointee.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE
            attach(anchor: pointer.pointee.data.sequence_start.anchor, tag: pointer.pointee.data.sequence_start.tag, to: &e, block)
        case YAML_MAPPING_START_EVENT:
            e.kind = .mappingStart
            e.isFlow = pointer.pointee.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
            attach(anchor: pointer.pointee.data.mapping_start.anchor, tag: pointer.pointee.data.mapping_start.tag, to: &e, block)
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT: e.kind = .collectionEnd
        case YAML_DOCUMENT_START_EVENT: e.kind = .documentStart
        case YAML_STREAM_END_EVENT: e.kind = .streamEnd
        default: break
        }
        return e
    }

    // NOTE: libyaml's NUL-terminated strings of the event being converted.
    private static func attach(anchor: UnsafeMutablePointer<yaml_char_t>?, tag: UnsafeMutablePointer<yaml_char_t>?,
                               to e: inout YAMLEvent, _ block: YAMLEventBlock) {
        if let anchor { (e.anchor, e.anchorCount) = storeCString(anchor, block) }
        if let tag { (e.tag, e.tagCount) = storeCString(tag, block) }
    }

    /// The first eight bytes (little-endian, zero-padded) and whether all are ASCII.
    // NOTE: `pointer` holds `count` bytes (a scalar's value); every load reads
    // eight bytes at an offset from 0 to `count - 8`, so it stays inside them.
    @inline(__always)
    private static func prefixAndASCII(_ pointer: UnsafePointer<UInt8>?, _ count: Int) -> (UInt64, Bool) {
        guard let pointer, count > 0 else { return (0, true) }
        let raw = UnsafeRawPointer(pointer)
        if count >= 8 {
            // Whole words, then the last eight bytes (overlapping): every byte seen once or twice.
            let prefix = raw.loadUnaligned(as: UInt64.self)
            var high = prefix | raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
            var i = 8
            while i + 8 <= count {
                high |= raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                i += 8
            }
            return (prefix, high & 0x8080_8080_8080_8080 == 0)
        }
        var prefix: UInt64 = 0
        for i in 0..<count { prefix |= UInt64(pointer[i]) &<< UInt64(8 &* i) }
        return (prefix, prefix & 0x8080_8080_8080_8080 == 0)
    }

    /// libyaml's anchors and tags are NUL-terminated UTF-8.
    // NOTE: reads up to the NUL libyaml puts at the end of the string.
    private static func storeCString(_ pointer: UnsafeMutablePointer<yaml_char_t>?, _ block: YAMLEventBlock) -> (Int32, Int32) {
        guard let pointer else { return (0, 0) }
        var n = 0
        while pointer[n] != 0 { n += 1 }
        return (block.store(pointer, n), Int32(clamping: n))
    }
}

extension YAMLParseFailure {
    /// What libyaml says about why `parser` stopped.
    init(_ parser: yaml_parser_t) {
        // NOTE: `problem` and `context` point to static C strings in libyaml; they are copied here.
        self.init(problem: parser.problem.map { String(cString: $0) },
                  context: parser.context.map { String(cString: $0) },
                  problemLine: Int(parser.problem_mark.line), problemColumn: Int(parser.problem_mark.column),
                  contextLine: Int(parser.context_mark.line), contextColumn: Int(parser.context_mark.column),
                  readerOffset: parser.error == YAML_READER_ERROR ? Int(parser.problem_offset) : nil)
    }

    /// libyaml could not even start (it failed to allocate its buffers).
    static let couldNotStart = YAMLParseFailure(problemLine: 0, problemColumn: 0, contextLine: 0, contextColumn: 0,
                                                couldNotStart: true)
}

extension YAMLNode.ScalarStyle {
    /// libyaml's style for a scalar. A tagged plain scalar (`!!str 1`) counts
    /// as quoted: it is a string, whatever it reads.
    init(_ style: yaml_scalar_style_t, tagged: Bool) {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: self = .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: self = .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: self = .literal
        case YAML_FOLDED_SCALAR_STYLE: self = .folded
        default: self = tagged ? .doubleQuoted : .plain
        }
    }
}

extension YAMLReader {
    /// Parses the bytes with libyaml and only counts the events: the baseline
    /// the front-end benchmark compares `ivrc check` against.
    public static func countEvents(_ bytes: [UInt8]) -> Int {
        // NOTE: the parser is made, used and deleted inside the closure that
        // keeps `buffer` valid.
        bytes.withUnsafeBufferPointer { buffer -> Int in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else { return -1 }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var event = yaml_event_t()
            var count = 0
            while yaml_parser_parse(&parser, &event) == 1 {
                let done = event.type == YAML_STREAM_END_EVENT
                yaml_event_delete(&event)
                count += 1
                if done { return count }
            }
            return -count
        }
    }
}
