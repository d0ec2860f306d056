import Dispatch
import Synchronization

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
        // One slot per piece of work (a lock taken once per piece: pieces are few and long).
        let slots = Mutex<[T?]>(Array(repeating: nil, count: count))
        withoutActuallyEscaping(work) { work in
            let shared = SharedWork(work)
            DispatchQueue.concurrentPerform(iterations: count) { i in
                let value = shared.work(i)
                slots.withLock { $0[i] = value }
            }
        }
        return slots.withLock { $0.map { $0! } }
    }

    /// The work closure, called from several threads.
    // NOTE: `@unchecked Sendable`: the closure is called from several threads
    // at once, which its callers allow (each piece only reads what it shares
    // and returns its own result); it does not escape `map`
    // (`withoutActuallyEscaping`), so it never outlives what it captured.
    private struct SharedWork<T>: @unchecked Sendable {
        let work: (Int) -> T
        init(_ work: @escaping (Int) -> T) { self.work = work }
    }
}
