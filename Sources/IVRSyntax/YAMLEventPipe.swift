import Dispatch
import Synchronization

/// Runs libyaml on a thread of its own and hands its events to the reader a
/// block at a time, so that building the tree (and the flow's nodes, see
/// `FlowParser`) overlaps with parsing: on a large file the reader's work
/// hides behind libyaml's. See docs/performance.md.
///
/// A ring of blocks and two semaphores (a bounded buffer): the producer
/// takes a free block, fills it and posts it; the reader takes posted blocks
/// in order and gives each back when done with it. The semaphores order the
/// two threads' accesses to a block, so a block is never touched by both.
/// Memory stays bounded by the ring, whatever the file.
// NOTE: `@unchecked Sendable` because the pipe is shared by the reader and
// the producer's thread. What each touches: `ring` (a `let`), the semaphores
// and the atomics are thread-safe; `next`, `sawLast` and `finished` are
// touched only by the reader (take/poll/release/finish); a block is touched
// by one side at a time, handed over by `posted` (producer to reader) and
// `free` (back), whose signal/wait pairs order the memory accesses.
final class YAMLEventPipe: @unchecked Sendable {
    private static let ringSize = 8

    private let ring: [YAMLEventBlock]
    private let posted = DispatchSemaphore(value: 0)
    private let free = DispatchSemaphore(value: ringSize)
    private let done = DispatchSemaphore(value: 0)
    private let stopAsked = Atomic<Bool>(false)
    /// Blocks posted so far (`posted` counts them too; this one can be read without a system call).
    private let postedCount = Atomic<Int>(0)
    /// Reader side only.
    private var next = 0
    private var sawLast = false
    private var finished = false

    /// Starts parsing `bytes`, which must stay valid until `finish()` returns.
    // NOTE: the caller (`YAMLReader.read`) calls `finish()` before its
    // `withUnsafeBufferPointer` closure returns; `finish()` waits for `done`,
    // signalled after the producer's last call into libyaml.
    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        ring = (0..<Self.ringSize).map { _ in YAMLEventBlock() }
        let producer = YAMLEventProducer(bytes)
        // A queue of its own targets an overcommitting pool: the producer
        // gets a thread even when every worker thread is busy (or waiting
        // in a reader like this one).
        DispatchQueue(label: "ivrc.yaml-events").async { [self] in
            produce(producer)
        }
    }

    private func produce(_ producer: YAMLEventProducer) {
        var slot = 0
        while true {
            free.wait()
            let block = ring[slot % ring.count]
            slot += 1
            if stopAsked.load(ordering: .relaxed) {
                block.reset()
                block.isLast = true
            } else {
                producer.fill(block)
            }
            let last = block.isLast
            postedCount.add(1, ordering: .releasing)
            posted.signal()
            if last { break }
        }
        done.signal()
    }

    /// The next block, in file order. Give it back with `release()` before
    /// asking for another. Spins a little before it sleeps: a block takes
    /// libyaml about a tenth of a millisecond, and a reader that sleeps
    /// makes the producer wake it with a system call for every block.
    func take() -> YAMLEventBlock {
        let deadline = DispatchTime.now().uptimeNanoseconds + Self.spin
        var tries = 0
        while postedCount.load(ordering: .acquiring) <= next {
            tries += 1
            if tries & 63 == 0, DispatchTime.now().uptimeNanoseconds > deadline { break }
        }
        return wait()
    }

    /// How long `take()` spins, in nanoseconds.
    private static let spin: UInt64 = 200_000

    private func wait() -> YAMLEventBlock {
        posted.wait()
        let block = ring[next % ring.count]
        next += 1
        if block.isLast { sawLast = true }
        return block
    }

    /// The next block if one is ready, without waiting.
    func poll() -> YAMLEventBlock? {
        guard postedCount.load(ordering: .acquiring) > next else { return nil }
        posted.wait() // already signalled: returns at once
        let block = ring[next % ring.count]
        next += 1
        if block.isLast { sawLast = true }
        return block
    }

    func release() {
        free.signal()
    }

    /// Stops the producer if it is still running and waits for it; call once
    /// the reader is done (after releasing its last block).
    func finish() {
        guard !finished else { return }
        finished = true
        stopAsked.store(true, ordering: .relaxed)
        while !sawLast {
            _ = wait()
            release()
        }
        done.wait()
    }
}
