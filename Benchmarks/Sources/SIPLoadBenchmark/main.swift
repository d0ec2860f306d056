import Foundation
import IVRBytecode
import IVRRuntime
import IVRSIP

/// SIPLoadBenchmark: concurrent calls held by an in-process `ivrc serve`
/// (IVRServer on 127.0.0.1) while every call plays a 90 s prompt, against
/// a bare paced UDP sender measured in the same run.
///
/// The load generator is a documented raw-UDP generator (LoadGenerator,
/// RTPReceiver), not a SIP stack. For each level N (default 100, 500, 1000):
/// 1. baselines: `BarePacer` sends N paced RTP streams (one UDP channel
///    each, nothing else) to the receiver, timed by one NIO task per stream
///    (`bare-timers`) or by one 1 ms task per event loop (`bare-clock`,
///    ivrc's pacing scheme without ivrc);
/// 2. ivrc: N calls (INVITE with PCMU + telephone-event, at most 100 in
///    setup at once, ACK on 200 OK); each call's flow plays the prompt;
/// 3. ivrc-srtp: the same with SRTP (`RTP/SAVP`, AES_CM_128_HMAC_SHA1_80,
///    one key per call): the server protects every packet, the receiver
///    unprotects every packet before it reads it (both in this process);
/// 4. ivrc-tls-srtp: SRTP as in 3, with the signalling on one TLS
///    connection to a tls: listener (a self-signed P-256 certificate made
///    by `openssl`): the carrier-grade setup, as a ratio to 2;
/// 5. ivrc-tcp: plain RTP, with the signalling on one TCP connection to a
///    tcp: listener (calls set up per second and late % as ratios to 2);
/// 6. ivrc-bridge: N/2 bridged calls (N legs, `BridgeLoad`): both parties
///    talk, the server relays; relay delay against the direct path, late %,
///    and CPU per bridged call against 2's CPU per plain call.
/// Both are measured over the same window (default 10 s, after 1 s of
/// warm-up) by the same receiver, which reads the kernel's receive stamp of
/// every packet (on loopback: its send time). See `LoadResult` for jitter
/// and lateness, and docs/sip.md for how to read the table.
///
/// Usage: `swift run -c release --package-path Benchmarks SIPLoadBenchmark [--seconds S] [--only bridge] [--realtime] [N ...]`.
func out(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

let arguments = Array(CommandLine.arguments.dropFirst())
let secondsFlag = arguments.firstIndex(of: "--seconds")
let seconds = secondsFlag.flatMap { $0 + 1 < arguments.count ? Double(arguments[$0 + 1]) : nil } ?? 10
let onlyFlag = arguments.firstIndex(of: "--only")
/// `--only bridge`: the bridge level alone (direct path and bridged calls), for profiling.
let onlyBridge = onlyFlag.map { $0 + 1 < arguments.count && arguments[$0 + 1] == "bridge" } ?? false
/// `--realtime`: the server's event loops under SCHED_RR (`serve --realtime-media`).
let realtime = arguments.contains("--realtime")
let levels = arguments.enumerated().filter { i, _ in
    secondsFlag.map { i != $0 && i != $0 + 1 } ?? true
}.filter { i, _ in onlyFlag.map { i != $0 && i != $0 + 1 } ?? true }.compactMap { Int($0.1) }
let flow = """
    ivr: load
    extension: "100"
    nodes:
      prompt:
        menu:
          prompt: {play: prompt.pcm}
          options: {"1": bye}
          timeout: 5s
      bye: hangup
    """
let folder = NSTemporaryDirectory() + "sip-load-\(UUID().uuidString)"
try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
try flow.write(toFile: folder + "/load.yaml", atomically: true, encoding: .utf8)
// 90 s of 440 Hz + 660 Hz at 8 kHz, PCM16 little-endian: never a silent frame.
let prompt = (0..<(8000 * 90)).flatMap { n -> [UInt8] in
    let t = Double(n) / 8000
    let s = Int16(6000 * sin(2 * .pi * 440 * t) + 4000 * sin(2 * .pi * 660 * t))
    return [UInt8(truncatingIfNeeded: s), UInt8(truncatingIfNeeded: s >> 8)]
}
_ = FileManager.default.createFile(atPath: folder + "/prompt.pcm", contents: Data(prompt))
let bundle = try FlowBuild.build(paths: [folder + "/load.yaml"], currentDirectory: folder).get().bundle

/// Waits the warm-up, then measures one window.
func measure(_ receiver: RTPReceiver, streams: Int) async throws -> LoadResult {
    try await measureSamples(receiver, streams: streams).result
}

/// `measure`, with the window's samples.
func measureSamples(_ receiver: RTPReceiver, streams: Int) async throws -> (samples: [[RTPReceiver.Sample]], result: LoadResult) {
    try await Task.sleep(for: .seconds(1))
    let cpu0 = processCPUSeconds()
    let wall0 = RawUDP.now()
    receiver.startWindow()
    try await Task.sleep(for: .seconds(seconds))
    let (samples, _) = receiver.endWindow()
    let cpu = (processCPUSeconds() - cpu0) / (Double(RawUDP.now() - wall0) / 1e9)
    return (samples, LoadResult(streams: streams, samples: samples, seconds: seconds, cpu: cpu))
}

func baseline(_ n: Int, timing: BarePacer.Timing) async throws -> LoadResult {
    let receiver = RTPReceiver(streams: n)
    let pacer = try await BarePacer(count: n, timing: timing, destination: { receiver.port(forStream: $0) })
    for (i, port) in pacer.ports.enumerated() { receiver.register(sourcePort: port, stream: i) }
    pacer.start()
    let result = try await measure(receiver, streams: n)
    await pacer.stop()
    receiver.close()
    return result
}

let certificate = try SelfSignedCertificate.make(in: folder)

func ivrc(_ n: Int, srtp: Bool = false, signalling: LoadGenerator.Signalling = .udp) async throws -> LoadResult {
    let services = CallServices(prompts: PromptAudio(folders: [folder]), tts: .none, recordingsFolder: folder,
                                referTarget: ReferTarget(pbx: nil, trunk: nil), webhook: nil, logger: CallServices.quietLogger())
    let server = IVRServer(bundle: bundle, services: services, records: nil, printRecord: { _ in })
    var config = SIPConfiguration(host: "127.0.0.1", port: 0, rtpPorts: 20000...29999, maxCalls: n + 10)
    config.realtimePriority = realtime ? RealtimePriority.defaultPriority : nil
    switch signalling {
    case .udp: break
    case .tcp: config.listeners.append(SIPListenAddress(.tcp, host: "127.0.0.1", port: 0))
    case .tls:
        config.listeners.append(SIPListenAddress(.tls, host: "127.0.0.1", port: 0))
        config.tls = TLSSettings(certificate: certificate.certificate, privateKey: certificate.key)
    }
    try await server.start(configuration: config)
    let receiver = RTPReceiver(streams: n)
    let sipPort = signalling == .udp ? server.endpoint.localPort : server.endpoint.localPort(signalling == .tcp ? .tcp : .tls) ?? 0
    let generator = try LoadGenerator(sipPort: sipPort, calls: n, receiver: receiver, srtp: srtp, signalling: signalling)
    let (invites, firsts) = generator.placeCalls(timeout: 45)
    var result = try await measure(receiver, streams: n)
    let up = zip(invites, firsts).filter { $0.1 != 0 }
    if let start = invites.min(), let end = up.map(\.1).max(), end > start {
        result.setupRate = Double(up.count) / (Double(end - start) / 1e9)
    }
    result.setupLatencies = up.map { Double($0.1 - $0.0) / 1e6 }
    generator.hangUpAll()
    var left = 0
    for _ in 0..<300 {
        left = await server.endpoint.activeCallCount()
        if left == 0 { break }
        try await Task.sleep(for: .milliseconds(50))
    }
    if left > 0 { out("  warning: \(left) calls still up 15 s after BYE") }
    if !generator.failures.isEmpty { out("  warning: INVITEs refused: \(generator.failures)") }
    if receiver.srtpFailures > 0 { out("  warning: \(receiver.srtpFailures) packets did not unprotect") }
    generator.close()
    receiver.close()
    await server.drain()
    await server.shutdown()
    return result
}

out("SIP load benchmark: in-process server and raw-UDP generator on \(ProcessInfo.processInfo.activeProcessorCount) cores, "
    + "\(Int(seconds)) s windows, 90 s prompt")
out(LoadResult.header)
for n in levels.isEmpty ? [100, 500, 1000] : levels {
    out("-- \(n) streams (load average \(String(format: "%.2f", loadAverage())))")
    if onlyBridge {
        let direct = try await directDelays(n / 2)
        let bridge = try await bridged(n / 2)
        out(bridge.result.row("ivrc-bridge"))
        let p = { (values: [Double], q: Double) in LoadResult.percentile(values, q) }
        out("   relay delay p50/p99 " + String(format: "%.3f / %.3f ms, direct %.3f / %.3f ms, added %.3f / %.3f ms, cpu %.2f (senders alone %.2f)",
                                                p(bridge.relayDelays, 0.5), p(bridge.relayDelays, 0.99), p(direct.delays, 0.5), p(direct.delays, 0.99),
                                                p(bridge.relayDelays, 0.5) - p(direct.delays, 0.5), p(bridge.relayDelays, 0.99) - p(direct.delays, 0.99),
                                                bridge.result.cpu, direct.cpu)
            + (realtime ? " (realtime)" : ""))
        continue
    }
    let timers = try await baseline(n, timing: .perStream)
    out(timers.row("bare-timers"))
    let clock = try await baseline(n, timing: .perLoop)
    out(clock.row("bare-clock"))
    let ours = try await ivrc(n)
    out(ours.row("ivrc"))
    let secure = try await ivrc(n, srtp: true)
    out(secure.row("ivrc-srtp"))
    let carrier = try await ivrc(n, srtp: true, signalling: .tls)
    out(carrier.row("ivrc-tls-srtp"))
    let overTCP = try await ivrc(n, signalling: .tcp)
    out(overTCP.row("ivrc-tcp"))
    func ratio(_ a: Double, _ b: Double) -> String { b > 0 ? String(format: "%.2fx", a / b) : "-" }
    for (name, bare) in [("bare-timers", timers), ("bare-clock", clock)] {
        out("   ivrc / \(name): jitter p50 \(ratio(ours.jitterP50, bare.jitterP50)), p99 \(ratio(ours.jitterP99, bare.jitterP99)), "
            + "late \(String(format: "%.2f", ours.latePercent))% vs \(String(format: "%.2f", bare.latePercent))%, "
            + "cpu \(ratio(ours.cpu, bare.cpu))")
    }
    out("   ivrc-srtp / ivrc: late \(String(format: "%.2f", secure.latePercent))% vs \(String(format: "%.2f", ours.latePercent))%, "
        + "jitter p99 \(ratio(secure.jitterP99, ours.jitterP99)), cpu \(ratio(secure.cpu, ours.cpu)), "
        + "calls up \(secure.streamsUp) vs \(ours.streamsUp), silent \(secure.silent)")
    out("   ivrc-tls-srtp / ivrc: late \(String(format: "%.2f", carrier.latePercent))% vs \(String(format: "%.2f", ours.latePercent))%, "
        + "setup \(ratio(carrier.setupRate ?? 0, ours.setupRate ?? 0)), jitter p99 \(ratio(carrier.jitterP99, ours.jitterP99)), "
        + "cpu \(ratio(carrier.cpu, ours.cpu)), calls up \(carrier.streamsUp) vs \(ours.streamsUp), silent \(carrier.silent)")
    if n >= 2 {
        let pairs = n / 2
        let direct = try await directDelays(pairs)
        let bridge = try await bridged(pairs)
        out(bridge.result.row("ivrc-bridge"))
        func ms(_ values: [Double], _ p: Double) -> String { String(format: "%.3f", LoadResult.percentile(values, p)) }
        let added50 = LoadResult.percentile(bridge.relayDelays, 0.5) - LoadResult.percentile(direct.delays, 0.5)
        let added99 = LoadResult.percentile(bridge.relayDelays, 0.99) - LoadResult.percentile(direct.delays, 0.99)
        out("   ivrc-bridge: \(pairs) bridged calls (\(n) legs, \(bridge.bridgesUp) bridges up), relay delay p50 \(ms(bridge.relayDelays, 0.5)) ms "
            + "p99 \(ms(bridge.relayDelays, 0.99)) ms (direct path \(ms(direct.delays, 0.5)) / \(ms(direct.delays, 0.99)) ms: added "
            + "\(String(format: "%.3f", added50)) / \(String(format: "%.3f", added99)) ms), late \(String(format: "%.2f", bridge.result.latePercent))%, "
            + "cpu per bridged call vs per plain call \(ratio(bridge.result.cpu / Double(pairs), ours.cpu / Double(n))) "
            + "(without the senders' own cost: \(ratio(max(0, bridge.result.cpu - direct.cpu) / Double(pairs), ours.cpu / Double(n))))")
    }
    out("   ivrc-tcp / ivrc: setup \(ratio(overTCP.setupRate ?? 0, ours.setupRate ?? 0)), "
        + "late \(String(format: "%.2f", overTCP.latePercent))% vs \(String(format: "%.2f", ours.latePercent))%, "
        + "jitter p99 \(ratio(overTCP.jitterP99, ours.jitterP99)), cpu \(ratio(overTCP.cpu, ours.cpu)), "
        + "calls up \(overTCP.streamsUp) vs \(ours.streamsUp)")
}
try? FileManager.default.removeItem(atPath: folder)
