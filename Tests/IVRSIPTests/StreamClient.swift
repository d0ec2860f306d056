import Foundation
import IVRTestSupport
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// A TCP or TLS client for tests (SwiftNIO, on a loop of its own): sends
/// bytes, collects every byte the server sends, and notices the close.
/// Messages are cut from what arrived by the test's own reading of
/// `Content-Length` (not by the framer under test).
final class StreamClient: Sendable {
    static let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    let channel: Channel
    private let state: Inbox

    /// What the server sent, and whether the connection is gone.
    final class Inbox: Sendable {
        let bytes = Mutex<[UInt8]>([])
        let closed = Atomic(false)
    }

    /// Connects to 127.0.0.1:`port`; over TLS when `trusting` names a CA
    /// file (the server's certificate must chain to it and name `serverName`).
    static func connect(port: Int, trusting ca: String? = nil, serverName: String? = "localhost") async throws -> StreamClient {
        let inbox = Inbox()
        var context: NIOSSLContext?
        if let ca {
            var config = TLSConfiguration.makeClientConfiguration()
            config.trustRoots = .file(ca)
            context = try NIOSSLContext(configuration: config)
        }
        let tls = context
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverName))
                    }
                    try channel.pipeline.syncOperations.addHandler(Collector(inbox: inbox))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return StreamClient(channel: channel, state: inbox)
    }

    private init(channel: Channel, state: Inbox) {
        self.channel = channel
        self.state = state
    }

    func send(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes))
    }

    func send(_ text: String) async throws { try await send(Array(text.utf8)) }

    var isClosed: Bool { state.closed.load(ordering: .acquiring) }

    /// Everything received so far (messages not yet taken by `next`).
    var pending: [UInt8] { state.bytes.withLock { $0 } }

    func close() async { try? await channel.close() }

    /// True once the server has closed the connection (polls for up to
    /// `timeout` seconds of `Patience`).
    func waitClosed(timeout: Double = 20) async -> Bool {
        var patience = Patience(seconds: timeout)
        while patience.another() {
            if isClosed { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return isClosed
    }

    /// Waits until the received bytes start with `prefix` (then takes them).
    func take(prefix: [UInt8], timeout: Double = 20) async -> Bool {
        var patience = Patience(seconds: timeout)
        while patience.another() {
            let found = state.bytes.withLock { bytes -> Bool in
                guard bytes.count >= prefix.count, Array(bytes.prefix(prefix.count)) == prefix else { return false }
                bytes.removeFirst(prefix.count)
                return true
            }
            if found { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    /// The next whole message the server sent that `until` accepts (the
    /// ones before it are dropped), or nil after `timeout` seconds of `Patience`.
    func next(timeout: Double = 20, until: (SIPMessageView) -> Bool = { _ in true }) async -> SIPMessageView? {
        var patience = Patience(seconds: timeout)
        while patience.another() {
            while let message = state.bytes.withLock({ Self.cut(&$0) }) {
                if until(message) { return message }
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }

    /// Takes one message off the front of `bytes` (line ends before it skipped).
    static func cut(_ bytes: inout [UInt8]) -> SIPMessageView? {
        while let first = bytes.first, first == 13 || first == 10 { bytes.removeFirst() }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let blank = text.range(of: "\r\n\r\n") else { return nil }
        let head = String(text[..<blank.upperBound])
        let length = SIPMessageView(text: head).header("Content-Length").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? 0
        let total = head.utf8.count + length
        guard bytes.count >= total else { return nil }
        let message = SIPMessageView(text: String(decoding: bytes[..<total], as: UTF8.self))
        bytes.removeFirst(total)
        return message
    }

    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let inbox: Inbox
        init(inbox: Inbox) { self.inbox = inbox }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            inbox.bytes.withLock { $0.append(contentsOf: buffer.readableBytesView) }
        }

        func channelInactive(context: ChannelHandlerContext) {
            inbox.closed.store(true, ordering: .releasing)
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: Error) {
            context.close(promise: nil)
        }
    }
}
