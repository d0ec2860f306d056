import Dispatch

/// Runs independent pieces of work on the machine's cores (the calling
/// thread takes part, so this never waits for a thread that is not there).
/// Results come back in the order of the work, whatever order it finished
/// in, which keeps the checker's output deterministic.
package enum Concurrently {
    /// `work(0) ... work(count - 1)`, on several threads when there are
    /// several cores. Pieces are started in order: put the longest first.
    package static func map<T: Sendable>(_ count: Int, _ work: (Int) -> T) -> [T] {
        // (On one core `concurrentPerform` runs every piece on this thread.)
        guard count > 1 else {
            return (0..<count).map(work)
        }
        let slots = Slots<T>(count)
        withoutActuallyEscaping(work) { work in
            let shared = SharedWork(work)
            DispatchQueue.concurrentPerform(iterations: count) { i in
                slots.set(i, shared.work(i))
            }
        }
        return slots.values()
    }

    /// One slot per piece of work; each is written by exactly one thread,
    /// and read after `concurrentPerform` has returned (which orders the writes before).
    // NOTE: `@unchecked Sendable`: the slots are written from several threads,
    // each slot by one piece of work (no two writes to one slot), and read
    // only after `concurrentPerform` has returned, which orders every write
    // before the read. The buffer is owned by the instance (freed in `deinit`).
    private final class Slots<T>: @unchecked Sendable {
        private let buffer: UnsafeMutableBufferPointer<T?>

        init(_ count: Int) {
            buffer = .allocate(capacity: count)
            buffer.initialize(repeating: nil)
        }

        deinit {
            buffer.deinitialize()
            buffer.deallocate()
        }

        // NOTE: slot `i` is written by the one piece of work `i`, once.
        func set(_ i: Int, _ value: T) { buffer[i] = value }

        func values() -> [T] { buffer.map { $0! } }
    }

    /// The work closure, called from several threads. It only reads what it
    /// captured (every piece writes its own slot), so sharing it is safe.
    // NOTE: `@unchecked Sendable`: the closure is called from several threads
    // at once, which its callers allow (each piece only reads what it shares
    // and returns its own result); it does not escape `map`
    // (`withoutActuallyEscaping`), so it never outlives what it captured.
    private struct SharedWork<T>: @unchecked Sendable {
        let work: (Int) -> T
        init(_ work: @escaping (Int) -> T) { self.work = work }
    }
}
