import ArgumentParser
import IVRSIP

/// `--proxy URI` and the manifest's `sip.outbound-proxy`: the proxy that
/// `serve` and `call` send initial requests through. The URI is kept as
/// given (with or without `;lr`); IVRSIP decides loose or strict routing.
extension SIPOptions {
    /// `--proxy` parsed, nil when it is not given; a value that is not a
    /// `sip:`/`sips:` URI with a host is a malformed command line.
    func proxyURI() throws -> SIPURI? {
        guard let proxy else { return nil }
        guard let uri = SIPURI(proxy) else {
            throw ValidationError("--proxy takes a SIP URI like \"sip:sbc.acme.example;lr\", not '\(proxy)'"
                                  + (Self.proxySuggestion(for: proxy).map { "; did you mean \"\($0)\"?" } ?? ""))
        }
        return uri
    }

    /// The proxy to use: `--proxy` when given, else the manifest's
    /// `outbound-proxy` (nil for a bundle, or a manifest without one).
    func outboundProxy(manifest: String?) -> Result<SIPURI?, CommandFailure> {
        do {
            if let uri = try proxyURI() { return .success(uri) }
        } catch {
            return .failure(CommandFailure(message: "error: \(error)", exitCode: CommandOutput.Code.usage))
        }
        guard let manifest else { return .success(nil) }
        guard let uri = SIPURI(manifest) else {
            return .failure(CommandFailure(
                message: "error: the manifest's sip.outbound-proxy '\(manifest)' is not a SIP URI like \"sip:sbc.acme.example;lr\"",
                exitCode: CommandOutput.Code.failure))
        }
        return .success(uri)
    }

    /// A bare host or host:port (`sbc.acme.example`) as the proxy URI it likely means.
    static func proxySuggestion(for value: String) -> String? {
        guard !value.isEmpty, !value.contains("@"), !value.contains(";"), !value.contains("/") else { return nil }
        // host:port, not scheme:something (`tel:+15550100`).
        if !value.hasPrefix("["), let colon = value.firstIndex(of: ":"),
           !value[value.index(after: colon)...].allSatisfy({ $0.isASCII && $0.isNumber }) { return nil }
        let uri = "sip:" + value + ";lr"
        return SIPURI(uri) != nil ? uri : nil
    }
}
