import Foundation
import IVRRuntime
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Webhooks for live calls: the flow's request over real HTTP(S) with its timeout.
public enum HTTPWebhook {
    @Sendable public static func perform(_ request: WebhookRequest) async throws -> WebhookResponse {
        guard let url = URL(string: request.url), url.scheme == "https" || url.scheme == "http" else {
            throw WebhookFailure("invalid URL \(request.url)")
        }
        var r = URLRequest(url: url, timeoutInterval: max(0.1, Double(request.timeout) / 1000))
        r.httpMethod = request.method
        if let body = request.body {
            r.httpBody = Data(body.utf8)
            r.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        do {
            let (data, response) = try await URLSession.shared.data(for: r)
            return WebhookResponse(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: [UInt8](data.prefix(1 << 20)))
        } catch {
            throw WebhookFailure("request failed: \(error.localizedDescription)")
        }
    }
}
