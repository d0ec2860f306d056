import Foundation
import Testing

/// A task executor with threads of its own, for the tests that wait in real
/// time (timers, sockets, HTTP servers).
///
/// Swift Testing starts every test at once, and the global executor runs
/// jobs first in, first out on one thread per core. On a 2-core machine a
/// timer that fires while a few hundred test jobs are queued resumes only
/// after all of them: a 50 ms sleep measured 9 to 30 s in a full run. Tests
/// whose outcome depends on real time run on this executor instead (the
/// `.dedicatedExecutor` trait), so the CPU-bound tests cannot delay them
/// beyond what the operating system's scheduler does. (Not for
/// async-http-client's tests: under a task executor preference its deadline
/// fired after 3 s instead of 300 ms. See docs/testing.md.)
public final class DedicatedExecutor: TaskExecutor, @unchecked Sendable {
    /// Shared by every suite with the trait; its threads live as long as the
    /// test process.
    public static let shared = DedicatedExecutor(threads: 4)

    private let condition = NSCondition()
    /// Guarded by `condition`.
    private var queue: [UnownedJob] = []
    private var head = 0

    private init(threads: Int) {
        for i in 0..<threads {
            let thread = Thread { [self] in work() }
            thread.name = "tests.dedicated-executor.\(i)"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        queue.append(job)
        condition.signal()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while head == queue.count { condition.wait() }
            let job = queue[head]
            head += 1
            if head == queue.count {
                queue.removeAll(keepingCapacity: true)
                head = 0
            }
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}

/// Runs each test of a suite (or one test) with `DedicatedExecutor.shared`
/// as its task executor preference: the test's code, its child tasks and
/// the default actors it calls run there, not on the global pool.
public struct DedicatedExecutorTrait: TestTrait, SuiteTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func provideScope(for test: Test, testCase: Test.Case?,
                             performing function: @Sendable () async throws -> Void) async throws {
        try await withTaskExecutorPreference(DedicatedExecutor.shared) {
            try await function()
        }
    }
}

extension Trait where Self == DedicatedExecutorTrait {
    /// The test waits in real time: run it on threads the CPU-bound tests cannot hold up.
    public static var dedicatedExecutor: Self { Self() }
}
