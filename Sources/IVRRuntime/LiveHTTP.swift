import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Real HTTP for `simulate --live`: the webhook request through URLSession.
enum LiveHTTP {
    @Sendable static func perform(_ request: WebhookRequest) async throws -> WebhookResponse {
        guard let url = URL(string: request.url), url.scheme == "https" || url.scheme == "http" else {
            throw WebhookFailure("invalid URL \(request.url)")
        }
        var r = URLRequest(url: url, timeoutInterval: Double(request.timeout) / 1000)
        r.httpMethod = request.method
        if let body = request.body {
            r.httpBody = Data(body.utf8)
            r.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        do {
            let (data, response) = try await URLSession.shared.data(for: r)
            return WebhookResponse(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: [UInt8](data))
        } catch {
            throw WebhookFailure("request failed: \(error.localizedDescription)")
        }
    }
}
