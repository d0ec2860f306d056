import AsyncHTTPClient
import Foundation
import IVRRuntime
import NIOCore
import NIOHTTP1
import NIOSSL

/// Webhooks over real HTTP (and HTTPS) with async-http-client: one shared
/// `HTTPClient` for every call of the process, shut down by `shutdown()`.
///
/// `perform` answers a `WebhookRequest` the way the interpreter expects: a
/// 2xx response whose body is empty or a JSON object comes back as a
/// `WebhookResponse` (the VM keeps the object in `into`); anything else
/// throws a `WebhookFailure` whose reason the transcript shows, and the VM
/// takes `on-error`:
/// - a status outside 200-299, no connection, a TLS failure;
/// - no complete answer within the step's `timeout` (connection, headers and body);
/// - a body over `maxBody` bytes (1 MiB), announced or streamed;
/// - a body that is not JSON, or JSON that is not an object.
public final class HTTPWebhookClient: Sendable {
    /// The largest response body accepted.
    public static let maxBody = 1 << 20

    let client: HTTPClient

    /// `trustRootsPEM`: extra CA certificates (PEM files) to trust besides
    /// the system's, e.g. a private API's CA or a test server's. The file
    /// named by the environment variable `SSL_CERT_FILE`, when set, is
    /// trusted too (that is how the command line trusts a private CA).
    public init(trustRootsPEM: [String] = [], environment: [String: String] = ProcessInfo.processInfo.environment) {
        var tls = TLSConfiguration.makeClientConfiguration()
        let fromEnvironment = environment["SSL_CERT_FILE"].map { [$0] } ?? []
        tls.additionalTrustRoots = (trustRootsPEM + fromEnvironment).filter { !$0.isEmpty }.map { .file($0) }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls, redirectConfiguration: .follow(max: 3, allowCycles: false))
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(30))
        // A caller waits in silence during a webhook: a connection that cannot
        // be made (refused, TLS failure) fails at once with its real reason,
        // instead of being retried until the step's timeout hides it.
        configuration.connectionPool.retryConnectionEstablishment = false
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Closes every connection; call once when the process is done with HTTP.
    public func shutdown() async {
        try? await client.shutdown()
    }

    /// Performs one webhook request (see the type's documentation).
    public func perform(_ request: WebhookRequest) async throws -> WebhookResponse {
        let post = request.method.uppercased() == "POST"
        let (status, body) = try await exchange(post: post, url: request.url, body: post ? request.body : nil, timeout: request.timeout)
        guard (200..<300).contains(status) else { throw WebhookFailure("HTTP \(status)", status: status) }
        guard !body.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) else { return WebhookResponse(status: status, body: []) }
        guard let json = JSONParser.parse(body) else { throw WebhookFailure("the response is not valid JSON") }
        guard case .object = json else { throw WebhookFailure("the response is JSON but not an object") }
        return WebhookResponse(status: status, body: body)
    }

    /// POSTs one JSON document (an event); succeeds on any 2xx, whatever the body.
    public func send(url: String, json: String, timeout: Int) async throws -> Int {
        let (status, _) = try await exchange(post: true, url: url, body: json, timeout: timeout)
        guard (200..<300).contains(status) else { throw WebhookFailure("HTTP \(status)") }
        return status
    }

    /// One request and its whole answer (status, body up to `maxBody`), all within `timeout` ms.
    func exchange(post: Bool, url: String, body: String?, timeout: Int) async throws -> (Int, [UInt8]) {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), scheme == "https" || scheme == "http",
              parsed.host != nil else {
            throw WebhookFailure("invalid URL \(url)")
        }
        var r = HTTPClientRequest(url: url)
        r.method = post ? .POST : .GET
        r.headers.add(name: "Accept", value: "application/json")
        r.headers.add(name: "User-Agent", value: "ivrc")
        if let body {
            r.headers.add(name: "Content-Type", value: "application/json")
            r.body = .bytes(ByteBuffer(string: body))
        }
        let timeout = max(1, timeout)
        // The client's own deadline covers connecting and the response head (and
        // says why a connection failed); the outer one, a little later, the body.
        return try await Self.withTimeout(milliseconds: timeout + 250, reporting: timeout) { [client, r] in
            let response: HTTPClientResponse
            do {
                response = try await client.execute(r, timeout: .milliseconds(Int64(timeout)))
            } catch let error as HTTPClientError where error == .deadlineExceeded {
                throw WebhookFailure("no answer within \(timeout)ms")
            } catch {
                throw WebhookFailure("request failed: \(Self.describe(error))")
            }
            do {
                let buffer = try await response.body.collect(upTo: Self.maxBody)
                return (Int(response.status.code), Array(buffer.readableBytesView))
            } catch is NIOTooManyBytesError {
                throw WebhookFailure("the response body is larger than 1 MiB")
            } catch {
                throw WebhookFailure("reading the response failed: \(Self.describe(error))")
            }
        }
    }

    /// Runs `work`, or throws a timeout failure when it takes longer (the
    /// work is cancelled, which cancels the HTTP request).
    static func withTimeout<T: Sendable>(milliseconds: Int, reporting limit: Int? = nil,
                                         _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await work() }
            group.addTask {
                try? await Task.sleep(for: .milliseconds(milliseconds))
                return nil
            }
            defer { group.cancelAll() }
            while let next = try await group.next() {
                if let value = next { return value }
                if !Task.isCancelled { throw WebhookFailure("no answer within \(limit ?? milliseconds)ms") }
            }
            throw CallerHungUp()
        }
    }

    static func describe(_ error: any Error) -> String {
        if let e = error as? HTTPClientError { return String(describing: e) }
        if let e = error as? NIOSSLError { return "TLS: \(e)" }
        return String(describing: error)
    }
}
