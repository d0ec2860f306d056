import Foundation
import BenchmarkSupport
import IVRBytecode
import IVRRuntime

/// Calls per second on one thread, three ways over the same calls:
/// the whole `simulate` path (`CallDriver` + `ScriptedBackend`, events
/// recorded), the interpreter alone (recorded answers replayed into
/// `CallVM`), and the baseline decode loop over the executed instructions.
struct Throughput {
    struct Figures {
        var calls: Int
        var instructions: Int
        var driverSeconds: Double
        var vmSeconds: Double
        var decodeSeconds: Double

        var driverCallsPerSecond: Double { Double(calls) / driverSeconds }
        var vmCallsPerSecond: Double { Double(calls) / vmSeconds }
        var vmNanosPerInstruction: Double { vmSeconds * 1e9 / Double(instructions) }
        var decodeNanosPerInstruction: Double { decodeSeconds * 1e9 / Double(instructions) }
        var driverNanosPerInstruction: Double { driverSeconds * 1e9 / Double(instructions) }
    }

    /// Runs every call of the workload `rounds` times per timed run; best of `repeats`.
    static func measure(_ w: Workload, rounds: Int, repeats: Int = 5) async -> Figures {
        var replays: [Replay] = []
        for call in w.calls { replays.append(await Replay.record(call, bundle: w.bundle)) }
        let instructions = replays.reduce(0) { $0 + $1.instructions } * rounds
        let calls = w.calls.count * rounds
        let bundle = w.bundle

        var driver = Double.infinity
        for attempt in 0...repeats {
            let start = Probe.nanoseconds()
            var outcomes = 0
            for _ in 0..<rounds {
                for call in w.calls {
                    let backend = ScriptedBackend(tokens: call.tokens, at: call.at, webhooks: call.webhooks)
                    let report = await CallDriver.run(bundle, flow: call.flow, backend: backend, caller: call.caller)
                    outcomes &+= report.events.count
                }
            }
            let seconds = Double(Probe.nanoseconds() - start) / 1e9
            if attempt > 0 { driver = min(driver, seconds) }  // the first run warms up
            blackHole(outcomes)
        }

        let vm = Probe.best(repeats: repeats) {
            var effects = 0
            for _ in 0..<rounds {
                for r in replays {
                    var machine = r.start(bundle)
                    effects &+= r.run(&machine)
                }
            }
            blackHole(effects)
        }

        let baseline = DecodeBaseline(bundle)
        let decode = Probe.best(repeats: repeats) {
            var sum = 0
            for _ in 0..<rounds {
                for r in replays { sum &+= baseline.decode(r.trace) }
            }
            blackHole(sum)
        }
        return Figures(calls: calls, instructions: instructions, driverSeconds: driver, vmSeconds: vm, decodeSeconds: decode)
    }
}

/// Keeps a result alive so the optimizer cannot drop the work that made it.
@inline(never)
func blackHole(_ value: Int) {
    if value == 0x5eed_f00d { print("") }
}
