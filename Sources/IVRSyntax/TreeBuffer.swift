/// A growable buffer of plain values for `YAMLStorage`, with no reference
/// count: its owner frees it (`deallocate()`; a `YAMLTree` does, when it goes).
///
/// The tree's arrays are read by several threads at once (the builder builds
/// nodes in parallel, see `FlowBuilder.buildNodes`). Swift arrays there
/// would have every access retain and release a buffer that all threads
/// share, and those atomic operations on one cache line made the threads
/// wait for each other. Reading an element here is a bounds check and a load.
// NOTE: ownership is manual: the buffer belongs to the one `YAMLStorage` that
// holds it (see there), which frees it once (`deallocate()`, from the tree's
// `deinit`). Copies of the struct are views for reading. `@unchecked
// Sendable`: written by one thread while the tree is read (see `YAMLTree`),
// read by several afterwards. Elements are `BitwiseCopyable`: nothing to
// deinitialize, and `grow` may copy them as bytes.
struct TreeBuffer<Element: BitwiseCopyable>: @unchecked Sendable {
    private(set) var base: UnsafeMutablePointer<Element>?
    private(set) var count = 0
    private var capacity = 0

    init() {}

    var isEmpty: Bool { count == 0 }

    subscript(i: Int) -> Element {
        @inline(__always) get {
            precondition(i >= 0 && i < count, "tree index out of range")
            // NOTE: count > 0 here, so `base` is set; the index was just checked.
            return base.unsafelyUnwrapped[i]
        }
        set {
            precondition(i >= 0 && i < count, "tree index out of range")
            // NOTE: as for `get`.
            base.unsafelyUnwrapped[i] = newValue
        }
    }

    /// Elements `range`, bounds-checked; valid until the buffer grows or is freed.
    // NOTE: callers use the result at once (a comparison, a `String`) and keep
    // no pointer: nothing appends to the tree while they read it.
    subscript(range: Range<Int>) -> UnsafeBufferPointer<Element> {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "tree range out of bounds")
        guard let base else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: base + range.lowerBound, count: range.count)
    }

    mutating func reserveCapacity(_ n: Int) {
        if n > capacity { grow(to: n) }
    }

    @inline(__always)
    mutating func append(_ element: Element) {
        if count == capacity { grow(to: max(16, capacity * 2)) }
        // NOTE: after `grow`, `base` is set and has room for one more.
        (base.unsafelyUnwrapped + count).initialize(to: element)
        count += 1
    }

    // NOTE: `elements` is read during the call only; room is made before the copy.
    mutating func append(contentsOf elements: UnsafeBufferPointer<Element>) {
        guard let source = elements.baseAddress, !elements.isEmpty else { return }
        if count + elements.count > capacity { grow(to: max(count + elements.count, capacity * 2)) }
        (base.unsafelyUnwrapped + count).initialize(from: source, count: elements.count)
        count += elements.count
    }

    mutating func removeLast() {
        precondition(count > 0, "removeLast on an empty tree buffer")
        count -= 1
    }

    // NOTE: the `count` initialized elements move to the new memory and the
    // old memory is freed; views made before are stale (none is kept).
    private mutating func grow(to newCapacity: Int) {
        let new = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        if let base {
            new.initialize(from: base, count: count)
            base.deallocate()
        }
        base = new
        capacity = newCapacity
    }

    /// Frees the memory; the buffer is empty afterwards.
    mutating func deallocate() {
        base?.deallocate()
        base = nil
        count = 0
        capacity = 0
    }
}
