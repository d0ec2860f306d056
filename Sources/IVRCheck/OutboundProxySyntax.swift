import IVRSyntax

/// E006: the manifest's `sip.outbound-proxy` is not a `sip:`/`sips:` URI
/// with a host (RFC 3261 19.1 syntax, the same test as a `sip:` transfer
/// destination's). A bare host (`sbc.acme.example`, `10.0.0.5:5060`) gets a
/// fix-it that makes it a loose-routing proxy URI; `sip://host` gets one
/// that drops the `//`.
enum OutboundProxySyntax: ProjectCheck {
    static func run(_ context: CheckContext, _ out: inout [Diagnostic]) {
        guard let manifest = context.project.manifest, let proxy = manifest.sip?.outboundProxy,
              let problem = SIPURI.problem(proxy.value) else { return }
        out.append(.badOutboundProxy(proxy, problem: problem, suggestion: suggestion(for: proxy.value), in: manifest))
    }

    /// The URI the user most likely meant, when that is obvious.
    static func suggestion(for value: String) -> String? {
        if value.lowercased().contains("://") { return SIPURI.withoutSlashes(value) }
        // A bare host or host:port (`tel:+1555` is neither: its "port" is not digits).
        guard !value.contains("@"), !value.contains(";"), SIPURI.hostPortProblem(Substring(value)) == nil else { return nil }
        let uri = "sip:" + value + ";lr"
        return SIPURI.problem(uri) == nil ? uri : nil
    }
}

fileprivate extension Diagnostic {
    static func badOutboundProxy(_ proxy: Located<String>, problem: String, suggestion: String?, in manifest: Manifest) -> Diagnostic {
        Diagnostic(.E006, "outbound-proxy '\(proxy.value)' is not a SIP URI: \(problem)",
                   file: manifest.file, range: proxy.range,
                   help: suggestion.map { "write it as a SIP URI: '\($0)'" + ($0.hasSuffix(";lr") ? " (';lr': a loose router, RFC 3261 16.12)" : "") }
                       ?? "write the proxy as a SIP URI like \"sip:sbc.acme.example;lr\"",
                   fix: suggestion.map { FixIt(message: "write '\($0)'", range: proxy.range, replacement: FixIt.scalar($0)) })
    }
}
