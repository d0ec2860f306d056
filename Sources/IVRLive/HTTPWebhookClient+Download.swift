import AsyncHTTPClient
import Foundation
import IVRRuntime
import NIOCore

/// Prompt downloads (`play: https://...`) with the same client as webhooks.
extension HTTPWebhookClient {
    /// The largest prompt downloaded: 32 MiB (about 35 minutes of 8 kHz
    /// PCM16, 70 of G.711).
    public static let maxDownload = 32 << 20

    /// GETs `url` and returns its body: a 2xx status, at most `maxDownload`
    /// bytes, all within `timeout` ms; else a `WebhookFailure` saying why.
    public func download(url: String, timeout: Int = 5000) async throws -> [UInt8] {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), scheme == "https" || scheme == "http",
              parsed.host != nil else {
            throw WebhookFailure("invalid URL \(url)")
        }
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        request.headers.add(name: "Accept", value: "audio/wav, audio/*;q=0.9, */*;q=0.5")
        request.headers.add(name: "User-Agent", value: "ivrc")
        let timeout = max(1, timeout)
        return try await Self.withTimeout(milliseconds: timeout + 250, reporting: timeout) { [client, request] in
            let response: HTTPClientResponse
            do {
                response = try await client.execute(request, timeout: .milliseconds(Int64(timeout)))
            } catch let error as HTTPClientError where error == .deadlineExceeded {
                throw WebhookFailure("no answer within \(timeout)ms from \(url)")
            } catch {
                throw WebhookFailure("downloading \(url) failed: \(Self.describe(error))")
            }
            guard (200..<300).contains(Int(response.status.code)) else {
                throw WebhookFailure("downloading \(url): HTTP \(response.status.code)")
            }
            do {
                let buffer = try await response.body.collect(upTo: Self.maxDownload)
                return Array(buffer.readableBytesView)
            } catch is NIOTooManyBytesError {
                throw WebhookFailure("\(url) is larger than \(Self.maxDownload >> 20) MiB")
            } catch {
                throw WebhookFailure("downloading \(url) failed: \(Self.describe(error))")
            }
        }
    }
}
