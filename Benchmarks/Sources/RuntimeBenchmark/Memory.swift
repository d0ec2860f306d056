import Foundation
import BenchmarkSupport
import IVRBytecode
import IVRRuntime
import Synchronization

/// Bytes per concurrent call: `count` calls of one flow, each waiting in
/// its first menu, measured as the growth of the resident set. Run it in a
/// fresh process (`RuntimeBenchmark memory ...`) so freed memory of other
/// benchmarks does not hide the growth.
enum Memory {
    struct Figures {
        var count: Int
        var bytes: Int
        var perCall: Double { Double(bytes) / Double(count) }
    }

    /// Each call is a `CallVM` value paused at its first `WAITKEY`, held with
    /// the `collect` effect it returned, in one array. No tasks.
    static func pausedMachines(_ w: Workload, count: Int) throws -> Figures {
        let call = w.calls[0]
        func paused(_ i: Int) throws -> (CallVM, Effect) {
            var vm = CallVM(bundle: w.bundle, flow: call.flow, caller: "+1212555\(1_000_000 + i)", now: call.at)
            while true {
                let effect = vm.run()
                switch effect {
                case .collect(let request) where request.maxDigits == 1: return (vm, effect)
                case .enterNode, .enterFlow, .play, .say: continue
                default: throw BenchmarkError("\(w.name): the first case does not reach a menu (\(effect))")
                }
            }
        }
        _ = try paused(0)  // warm up: anything lazily built happens outside the measurement
        guard let before = Probe.residentBytes() else { throw BenchmarkError("no /proc/self/statm") }
        var held: [(CallVM, Effect)] = []
        for i in 0..<count { held.append(try paused(i)) }
        guard let after = Probe.residentBytes() else { throw BenchmarkError("no /proc/self/statm") }
        withExtendedLifetime(held) {}
        return Figures(count: count, bytes: after - before)
    }

    /// Each call is a task running `CallDriver.run` (what a server would do),
    /// suspended in its backend's `collect` on a continuation. The calls are
    /// then hung up and every one must end as `caller-hangup`.
    static func suspendedTasks(_ w: Workload, count: Int) async throws -> Figures {
        let call = w.calls[0]
        let bundle = w.bundle
        let parking = Parking()
        func start(_ i: Int) -> Task<CallReport.Outcome, Never> {
            Task {
                let backend = ParkedBackend(ScriptedBackend(tokens: [], at: call.at, webhooks: call.webhooks), parking)
                return await CallDriver.run(bundle, flow: call.flow, backend: backend, caller: "+1212555\(1_000_000 + i)").outcome
            }
        }
        // Warm up: the executor's threads and anything lazily built.
        let warm = start(0)
        try await parking.waitFor(1)
        parking.hangUpAll()
        _ = await warm.value

        guard let before = Probe.residentBytes() else { throw BenchmarkError("no /proc/self/statm") }
        var tasks: [Task<CallReport.Outcome, Never>] = []
        for i in 0..<count { tasks.append(start(i)) }
        try await parking.waitFor(count)
        guard let after = Probe.residentBytes() else { throw BenchmarkError("no /proc/self/statm") }
        parking.hangUpAll()
        var hungUp = 0
        for t in tasks where await t.value == .callerHangup { hungUp += 1 }
        guard hungUp == count else { throw BenchmarkError("\(count - hungUp) calls did not end as caller-hangup") }
        return Figures(count: count, bytes: after - before)
    }
}

extension Memory {
    /// The baseline for `suspendedTasks`: bare tasks, each suspended on a
    /// continuation and doing nothing else: what any task costs.
    static func bareTasks(count: Int) async throws -> Figures {
        let parking = Parking()
        func start() -> Task<Bool, Never> {
            Task {
                do {
                    _ = try await withUnsafeThrowingContinuation { parking.park($0) }
                    return false
                } catch {
                    return true
                }
            }
        }
        let warm = start()
        try await parking.waitFor(1)
        parking.hangUpAll()
        _ = await warm.value
        guard let before = Probe.residentBytes() else { throw BenchmarkError("no /proc/self/statm") }
        var tasks: [Task<Bool, Never>] = []
        for _ in 0..<count { tasks.append(start()) }
        try await parking.waitFor(count)
        guard let after = Probe.residentBytes() else { throw BenchmarkError("no /proc/self/statm") }
        parking.hangUpAll()
        for t in tasks { _ = await t.value }
        return Figures(count: count, bytes: after - before)
    }
}

/// Where suspended calls wait: the continuations of their `collect`.
final class Parking: Sendable {
    private let waiting = Mutex<[UnsafeContinuation<CollectResult, any Error>]>([])

    func park(_ c: UnsafeContinuation<CollectResult, any Error>) { waiting.withLock { $0.append(c) } }

    var count: Int { waiting.withLock { $0.count } }

    /// Waits until `n` calls are parked (at most a minute).
    func waitFor(_ n: Int) async throws {
        for _ in 0..<60_000 {
            if count >= n { return }
            try await Task.sleep(nanoseconds: 1_000_000)
        }
        throw BenchmarkError("only \(count) of \(n) calls reached their first wait")
    }

    /// Every parked call's caller hangs up.
    func hangUpAll() {
        let all = waiting.withLock { list in
            defer { list.removeAll() }
            return list
        }
        for c in all { c.resume(throwing: CallerHungUp()) }
    }
}

/// A scripted backend whose `collect` never answers: the call stays
/// suspended until `Parking.hangUpAll`.
final class ParkedBackend: MediaBackend {
    let inner: ScriptedBackend
    let parking: Parking
    init(_ inner: ScriptedBackend, _ parking: Parking) {
        self.inner = inner
        self.parking = parking
    }

    var now: Date { inner.now }
    func play(file: String, transcript: String?) async throws {}
    func say(text: String, voice: String?, language: String?) async throws {}
    func collect(_ request: CollectRequest) async throws -> CollectResult {
        try await withUnsafeThrowingContinuation { parking.park($0) }
    }
    func transfer(_ request: TransferRequest) async throws -> TransferResult { try inner.transfer(request) }
    func record(_ request: RecordRequest) async throws -> String { try inner.record(request) }
    func webhook(_ request: WebhookRequest) async throws -> WebhookResponse { try await inner.webhook(request) }
    func hangup() async {}
}
