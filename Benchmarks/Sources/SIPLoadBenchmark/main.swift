import Foundation
import IVRBytecode
import IVRSIP

/// SIPLoadBenchmark: a raw-UDP SIP+RTP load generator against an in-process
/// `ivrc serve` (IVRServer) on 127.0.0.1.
///
/// For each load level N (default 100, 500, 1000): N callers send INVITE
/// (PCMU + telephone-event, all offering one RTP port of the generator) as
/// fast as possible, ACK each 200 OK, and receive the server's RTP (the
/// flow waits in a menu, so the server streams 20 ms silence packets).
/// Reported:
/// - call setup: time from the first INVITE until every call's first RTP
///   packet arrived, as calls per second, and per-call INVITE-to-first-RTP
///   latency p50/p99;
/// - RTP inter-arrival jitter during a 5 s window with every call up:
///   |arrival gap - 20 ms| p50/p99 over all packets of all calls, and the
///   share of packets late by more than 5 ms (gap > 25 ms), and packets
///   received against those expected.
/// Then every call is hung up (BYE) and the server must drain.
///
/// The generator and server share the machine's cores, so the figures are a
/// floor for a dedicated server. Run: `swift run -c release --package-path
/// Benchmarks SIPLoadBenchmark [N ...]`.
/// Unbuffered output (a run may be cut short by a timeout).
func out(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
let levels = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let flow = """
    ivr: load
    extension: "100"
    nodes:
      wait:
        menu:
          prompt: {play: silence.pcm}
          options: {"1": bye}
          timeout: 60s
      bye: hangup
    """
let folder = NSTemporaryDirectory() + "sip-load-\(UUID().uuidString)"
try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
try flow.write(toFile: folder + "/load.yaml", atomically: true, encoding: .utf8)
_ = FileManager.default.createFile(atPath: folder + "/silence.pcm", contents: Data(count: 1600))
let bundle = try BuildPipeline.build(paths: [folder + "/load.yaml"], currentDirectory: folder).get().bundle

out("SIP load benchmark: in-process server and generator on \(ProcessInfo.processInfo.activeProcessorCount) cores")
out("calls  setup-s  calls/s  setup-p50-ms  setup-p99-ms  jitter-p50-ms  jitter-p99-ms  late>5ms  received/expected")
for n in levels.isEmpty ? [100, 500, 1000] : levels {
    let services = CallServices(prompts: PromptAudio(folders: [folder]), tts: .none, recordingsFolder: folder,
                                referTarget: ReferTarget(pbx: nil, trunk: nil), webhook: nil, logger: CallServices.quietLogger())
    let server = IVRServer(bundle: bundle, services: services, records: nil, printRecord: { _ in })
    var config = SIPConfiguration(host: "127.0.0.1", port: 0, rtpPorts: 20000...29999, maxCalls: n + 10)
    config.maxBadRequestAnswersPerSecond = 0
    try await server.start(configuration: config)
    let generator = try LoadGenerator(sipPort: server.endpoint.localPort, calls: n)
    let result = generator.run(measureSeconds: 5)
    out(result.row)
    generator.hangUpAll()
    var drained = false
    for _ in 0..<200 {
        if await server.endpoint.activeCallCount() == 0 { drained = true; break }
        try await Task.sleep(for: .milliseconds(50))
    }
    if !drained { out("  warning: \(await server.endpoint.activeCallCount()) calls still up after BYE") }
    generator.close()
    await server.drain()
    await server.shutdown()
}
try? FileManager.default.removeItem(atPath: folder)
