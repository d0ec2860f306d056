import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// The generator's signalling over one TLS connection (swift-nio-ssl, no
/// certificate check: the server's certificate is the benchmark's own,
/// made by `SelfSignedCertificate`). Bytes received are handed to
/// `onBytes` on the connection's event loop; `send` writes one whole message.
final class TLSSignalling: @unchecked Sendable {
    // NOTE: `channel` is set once in init and never changed.
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private let channel: Channel
    let localPort: Int

    init(port: Int, onBytes: @escaping @Sendable ([UInt8]) -> Void) throws {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .none
        let context = try NIOSSLContext(configuration: configuration)
        channel = try ClientBootstrap(group: group)
            .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: nil))
                    try channel.pipeline.syncOperations.addHandler(Reader(onBytes: onBytes))
                }
            }
            .connect(host: "127.0.0.1", port: port).wait()
        localPort = channel.localAddress?.port ?? 0
    }

    func send(_ text: String) {
        channel.writeAndFlush(channel.allocator.buffer(string: text), promise: nil)
    }

    func close() {
        try? channel.close().wait()
        try? group.syncShutdownGracefully()
    }

    private final class Reader: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let onBytes: @Sendable ([UInt8]) -> Void
        init(onBytes: @escaping @Sendable ([UInt8]) -> Void) { self.onBytes = onBytes }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = unwrapInboundIn(data)
            onBytes(buffer.readBytes(length: buffer.readableBytes) ?? [])
        }
    }
}

/// A self-signed certificate and key for 127.0.0.1, made by the `openssl`
/// command in `folder` (the benchmark's TLS listener presents it).
enum SelfSignedCertificate {
    static func make(in folder: String) throws -> (certificate: String, key: String) {
        let certificate = folder + "/cert.pem", key = folder + "/key.pem"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                             "-keyout", key, "-out", certificate, "-days", "1", "-subj", "/CN=127.0.0.1"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
        return (certificate, key)
    }
}
