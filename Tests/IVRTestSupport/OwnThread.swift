import Foundation

/// Runs `body` on a thread of its own and waits for it without holding a
/// thread of Swift's cooperative pool.
///
/// The pool has one thread per core: two on the CI machine. A test that
/// blocks one of them (waiting for a subprocess, or computing for seconds)
/// stalls every other test's timers and sockets for that long, and the
/// timing tests then fail for no fault of the code under test. Every test
/// that blocks or computes for long goes through here. (Not
/// `DispatchQueue.global()`: on Linux its workers are the same pool.)
public func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.stackSize = 8 << 20
        thread.start()
    }
}

/// The non-throwing form of `onOwnThread`.
public func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        let thread = Thread { continuation.resume(returning: body()) }
        thread.stackSize = 8 << 20
        thread.start()
    }
}

/// Runs `body` after `milliseconds` on a thread of its own (not the cooperative pool).
public func after(milliseconds: Int, _ body: @escaping @Sendable () -> Void) {
    Thread {
        Thread.sleep(forTimeInterval: Double(milliseconds) / 1000)
        body()
    }.start()
}
