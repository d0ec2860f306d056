import NIOCore
import NIOHTTP1

/// One connection of `MetricsHTTPServer`: answers its first request and
/// closes. `GET /metrics`, `/healthz`, `/readyz` (a query string is
/// ignored); another path is 404, another method 405 (with `Allow: GET`),
/// a body over `MetricsHTTPServer.maxBodyBytes` 413.
final class MetricsRequestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    static let prometheusType = "text/plain; version=0.0.4; charset=utf-8"

    let pages: MetricsHTTPServer.Pages
    var head: HTTPRequestHead?
    var bodyBytes = 0
    var answered = false

    init(pages: MetricsHTTPServer.Pages) { self.pages = pages }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !answered else { return }
        switch unwrapInboundIn(data) {
        case .head(let request):
            head = request
        case .body(let chunk):
            bodyBytes += chunk.readableBytes
            if bodyBytes > MetricsHTTPServer.maxBodyBytes {
                respond(context, .payloadTooLarge, body: "request too large\n")
            }
        case .end:
            guard let head else { return }
            answer(head, context)
        }
    }

    func answer(_ request: HTTPRequestHead, _ context: ChannelHandlerContext) {
        guard request.method == .GET else {
            return respond(context, .methodNotAllowed, body: "only GET\n", headers: [("Allow", "GET")])
        }
        let path = request.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        switch path {
        case "/metrics":
            respond(context, .ok, body: pages.metrics(), type: Self.prometheusType)
        case "/healthz":
            respond(context, .ok, body: "ok\n")
        case "/readyz":
            if pages.ready() {
                respond(context, .ok, body: "ready\n")
            } else {
                respond(context, .serviceUnavailable, body: "draining\n")
            }
        default:
            respond(context, .notFound, body: "not found; try /metrics, /healthz or /readyz\n")
        }
    }

    func respond(_ context: ChannelHandlerContext, _ status: HTTPResponseStatus, body: String,
                 headers extra: [(String, String)] = []) {
        respond(context, status, body: Array(body.utf8), type: "text/plain; charset=utf-8", headers: extra)
    }

    /// Writes the response and closes the connection once it is written.
    func respond(_ context: ChannelHandlerContext, _ status: HTTPResponseStatus, body: [UInt8], type: String,
                 headers extra: [(String, String)] = []) {
        answered = true
        var headers = HTTPHeaders([("Content-Type", type), ("Content-Length", String(body.count)), ("Connection", "close")])
        headers.add(contentsOf: extra)
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        var buffer = context.channel.allocator.buffer(capacity: body.count)
        buffer.writeBytes(body)
        context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
