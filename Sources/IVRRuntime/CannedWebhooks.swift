import Foundation
import IVRBytecode

/// Canned webhook answers by URL prefix (a test case's `webhooks:`,
/// `--webhook PREFIX=JSON`): the longest matching prefix wins.
public enum CannedWebhooks {
    /// The canned answer for `request`, if a prefix matches. A prefix may be
    /// written as the URL is sent (`%2B44`) or as it reads (`+44`).
    public static func answer(for request: WebhookRequest,
                              in canned: [(prefix: String, response: WebhookResponse)]) -> WebhookResponse? {
        let decoded = request.url.removingPercentEncoding ?? request.url
        return canned.filter { request.url.hasPrefix($0.prefix) || decoded.hasPrefix($0.prefix) }
            .max { $0.prefix.count < $1.prefix.count }?.response
    }

    /// Parses one `--webhook` value: `PREFIX=JSON` or `PREFIX=@file.json`,
    /// a 200 answer whose body must be a JSON object (what a live answer
    /// must be too: an array or a scalar takes `on-error`).
    public static func parse(_ spec: String, currentDirectory: String)
        -> Result<(prefix: String, response: WebhookResponse), CallScriptError> {
        guard let eq = spec.firstIndex(of: "=") else { return .failure(.webhookSyntax(spec)) }
        let prefix = String(spec[..<eq])
        var body = String(spec[spec.index(after: eq)...])
        var file: String?
        if body.hasPrefix("@") {
            let path = String(body.dropFirst())
            guard let data = FileManager.default.contents(atPath: FilePaths.absolute(path, cwd: currentDirectory)) else {
                return .failure(.webhookFileUnreadable(prefix: prefix, path: path))
            }
            body = String(decoding: data, as: UTF8.self)
            file = path
        }
        guard let json = JSONParser.parse(Array(body.utf8)) else { return .failure(.webhookNotJSON(prefix: prefix, file: file)) }
        guard case .object = json else { return .failure(.webhookNotAnObject(prefix: prefix, file: file)) }
        return .success((prefix, WebhookResponse(status: 200, body: Array(body.utf8))))
    }
}
