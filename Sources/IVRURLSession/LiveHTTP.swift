import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import IVRRuntime

/// Real HTTP for a library user who runs scripted calls with live webhooks
/// and does not want SwiftNIO (the command line uses IVRLive's
/// async-http-client instead): the webhook request through URLSession, with
/// the same bounds as the command line's client. A target of its own so that
/// `ivrc` does not load FoundationNetworking (libcurl and ~30 libraries). The step's `timeout` covers the whole exchange and
/// the body stops at 1 MiB, so a server that trickles or streams forever
/// cannot hold a call or fill memory.
public enum LiveHTTP {
    /// The largest body read (the same cap as the command line's client).
    static let maxBody = 1 << 20

    @Sendable public static func perform(_ request: WebhookRequest) async throws -> WebhookResponse {
        guard let url = URL(string: request.url), url.scheme == "https" || url.scheme == "http" else {
            throw WebhookFailure("invalid URL \(request.url)")
        }
        let timeout = max(1, request.timeout)
        var r = URLRequest(url: url, timeoutInterval: Double(timeout) / 1000)
        r.httpMethod = request.method
        if let body = request.body {
            r.httpBody = Data(body.utf8)
            r.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (status, body) = try await BoundedFetch.run(r, maxBody: maxBody, timeout: timeout)
        return WebhookResponse(status: status, body: body)
    }
}

/// One URLSession data task that ends with a failure as soon as its body
/// passes `maxBody` bytes or the whole exchange passes `timeout` ms.
final class BoundedFetch: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    // All state is behind `lock`; URLSession calls the delegate on its own queue.
    private let lock = NSLock()
    private var received: [UInt8] = []
    private var status = 0
    private var outcome: Result<(Int, [UInt8]), WebhookFailure>?
    private var continuation: CheckedContinuation<(Int, [UInt8]), any Error>?
    private let maxBody: Int
    private let timeout: Int

    private init(maxBody: Int, timeout: Int) {
        self.maxBody = maxBody
        self.timeout = timeout
    }

    static func run(_ request: URLRequest, maxBody: Int, timeout: Int) async throws -> (Int, [UInt8]) {
        let fetch = BoundedFetch(maxBody: maxBody, timeout: timeout)
        let session = URLSession(configuration: .ephemeral, delegate: fetch, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        let task = session.dataTask(with: request)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                fetch.wait(continuation)
                task.resume()
                DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(timeout)) {
                    fetch.finish(.failure(WebhookFailure("no answer within \(timeout)ms")), cancelling: task)
                }
            }
        } onCancel: {
            fetch.finish(.failure(WebhookFailure("request failed: the call ended")), cancelling: task)
        }
    }

    /// Hands over the waiting caller; resumes it at once when the fetch has
    /// already ended (cancelled before it started).
    private func wait(_ waiter: CheckedContinuation<(Int, [UInt8]), any Error>) {
        let settled: Result<(Int, [UInt8]), WebhookFailure>? = lock.withLock {
            if outcome == nil { continuation = waiter }
            return outcome
        }
        if let settled { waiter.resume(with: settled.mapError { $0 as any Error }) }
    }

    /// Settles the fetch once; later outcomes (a late timer, the cancelled
    /// task's own error) are ignored.
    private func finish(_ result: Result<(Int, [UInt8]), WebhookFailure>, cancelling task: URLSessionTask?) {
        let (first, waiter): (Bool, CheckedContinuation<(Int, [UInt8]), any Error>?) = lock.withLock {
            guard outcome == nil else { return (false, nil) }
            outcome = result
            defer { continuation = nil }
            return (true, continuation)
        }
        guard first else { return }
        task?.cancel()
        waiter?.resume(with: result.mapError { $0 as any Error })
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let announced = response.expectedContentLength
        lock.withLock { self.status = status }
        if announced > Int64(maxBody) {
            finish(.failure(WebhookFailure("the response body is larger than 1 MiB")), cancelling: dataTask)
            completionHandler(.cancel)
        } else {
            completionHandler(.allow)
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let over: Bool = lock.withLock {
            received.append(contentsOf: data)
            return received.count > maxBody
        }
        if over { finish(.failure(WebhookFailure("the response body is larger than 1 MiB")), cancelling: dataTask) }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        if let error {
            finish(.failure(WebhookFailure("request failed: \(error.localizedDescription)")), cancelling: nil)
        } else {
            let (status, body) = lock.withLock { (self.status, received) }
            finish(.success((status, body)), cancelling: nil)
        }
    }
}
