import Foundation
import IVRBytecode
import IVRRuntime
import IVRSIP

/// The bridge level of the SIP load benchmark: N callers dial a flow whose
/// only node is `transfer: {extension: "200", via: bridge}`; the server
/// places each B leg back to the generator (`CalleeAnswerer`), and once all
/// N bridges are up both sides of every call talk (`StampedSender`, 2N
/// streams): the receiver sees each party's packets as the other leg
/// relays them. Beside it, `direct` sends the same 2N stamped streams from
/// socket to socket with no server: the loopback and sender cost that
/// both share.
struct BridgeLoad {
    var result: LoadResult
    /// Milliseconds from a packet's send to the relayed copy's send by the server.
    var relayDelays: [Double]
    var bridgesUp: Int
}

/// Relay delays (ms) of stamped packets in `samples`.
func stampedDelays(_ samples: [[RTPReceiver.Sample]]) -> [Double] {
    samples.flatMap { $0.lazy.filter { $0.sentAt != 0 && $0.kernelTime != 0 }.map { Double($0.kernelTime - $0.sentAt) / 1e6 } }
}

/// The 2N stamped streams from socket to socket: the delay of the path without a relay.
func directDelays(_ n: Int) async throws -> (delays: [Double], cpu: Double) {
    let receiver = RTPReceiver(streams: 4)
    let sockets = receiver.sockets
    for (k, s) in sockets.enumerated() { receiver.register(sourcePort: s.port, stream: k) }
    let sender = StampedSender(streams: (0..<(2 * n)).map {
        StampedSender.Stream(fd: sockets[$0 % 4].fd, port: sockets[($0 + 1) % 4].port, ssrc: UInt32($0))
    })
    let (samples, result) = try await measureSamples(receiver, streams: 4)
    sender.stop()
    receiver.close()
    return (stampedDelays(samples), result.cpu)
}

func bridged(_ n: Int) async throws -> BridgeLoad {
    let socket = RawUDP.bind(receiveBuffer: 4 << 20)
    let project = folder + "/bridge-\(n)"
    try FileManager.default.createDirectory(atPath: project, withIntermediateDirectories: true)
    try "name: bridge-load\nsip:\n  pbx: \"127.0.0.1:\(socket.port)\"\n".write(toFile: project + "/ivr-project.yaml", atomically: true, encoding: .utf8)
    try """
        ivr: bridge-load
        extension: "100"
        nodes:
          connect:
            transfer: {extension: "200", via: bridge, timeout: 20s}
        """.write(toFile: project + "/bridge.yaml", atomically: true, encoding: .utf8)
    let bridgeBundle = try FlowBuild.build(paths: [project], currentDirectory: project).get().bundle
    let services = CallServices(prompts: PromptAudio(folders: [project]), tts: .none, recordingsFolder: project,
                                referTarget: ReferTarget(pbx: "127.0.0.1:\(socket.port)", trunk: nil), webhook: nil,
                                logger: CallServices.quietLogger())
    let server = IVRServer(bundle: bridgeBundle, services: services, records: nil, printRecord: { _ in })
    var config = SIPConfiguration(host: "127.0.0.1", port: 0, rtpPorts: 20000...29999, maxCalls: 2 * n + 10)
    config.realtimePriority = realtime ? RealtimePriority.defaultPriority : nil
    try await server.start(configuration: config)
    let receiver = RTPReceiver(streams: 2 * n)
    let callees = CalleeAnswerer(receiver: receiver, firstStream: n, sipPort: socket.port)
    let generator = try LoadGenerator(sipPort: server.endpoint.localPort, calls: n, receiver: receiver, socket: socket, callees: callees)
    _ = generator.placeCalls(timeout: 45)
    for _ in 0..<600 where callees.count < n { try await Task.sleep(for: .milliseconds(50)) }
    let aPorts = generator.serverRTPPorts
    var streams: [StampedSender.Stream] = []
    for (i, port) in aPorts.enumerated() {
        guard let port else { continue }
        streams.append(StampedSender.Stream(fd: receiver.sockets[i % receiver.sockets.count].fd, port: port, ssrc: UInt32(i)))
    }
    for leg in callees.allLegs {
        streams.append(StampedSender.Stream(fd: receiver.sockets[leg.stream % receiver.sockets.count].fd, port: leg.serverPort,
                                            ssrc: UInt32(leg.stream)))
    }
    let sender = StampedSender(streams: streams)
    let (samples, result) = try await measureSamples(receiver, streams: 2 * n)
    sender.stop()
    generator.hangUpAll()
    for _ in 0..<300 {
        if await server.endpoint.activeCallCount() == 0 { break }
        try await Task.sleep(for: .milliseconds(50))
    }
    if !generator.failures.isEmpty { out("  warning: INVITEs refused: \(generator.failures)") }
    generator.close()
    receiver.close()
    await server.drain()
    await server.shutdown()
    return BridgeLoad(result: result, relayDelays: stampedDelays(samples), bridgesUp: callees.count)
}
