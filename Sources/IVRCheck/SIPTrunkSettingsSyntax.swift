import IVRSyntax

/// E006 and E202 for the manifest's `sip.credentials`, `sip.register` and
/// `sip.inbound`, each at the value: a registrar or AOR that is not a
/// `sip:`/`sips:` URI (a fix-it adds the scheme or drops `//` where that
/// is all that is wrong), an AOR without a user, an `allow` entry that is
/// no CIDR block, a `password-env` that is no environment-variable name,
/// and a `flow` that names no flow of the project (with "did you mean").
enum SIPTrunkSettingsSyntax: ProjectCheck {
    static func run(_ context: CheckContext, _ out: inout [Diagnostic]) {
        guard let manifest = context.project.manifest, let sip = manifest.sip else { return }
        let file = manifest.file
        for c in sip.credentials {
            c.passwordEnv.map { checkVariable($0, file, &out) }
        }
        for r in sip.register {
            r.registrar.map { checkURI($0, "registrar", needsUser: false, file, &out) }
            r.aor.map { checkURI($0, "aor", needsUser: true, file, &out) }
            r.passwordEnv.map { checkVariable($0, file, &out) }
            if let flow = r.flow { checkFlow(flow, context, file, &out) }
        }
        if let inbound = sip.inbound {
            for block in inbound.allow {
                if let problem = CIDRNotation.problem(block.value) {
                    out.append(Diagnostic(.E006, "allow entry '\(block.value)' is not a CIDR block: \(problem)",
                                          file: file, range: block.range,
                                          help: "write an address or a block like \"203.0.113.0/24\", \"192.0.2.7\" or \"2001:db8::/32\""))
                }
            }
            for user in inbound.auth?.users ?? [] {
                user.passwordEnv.map { checkVariable($0, file, &out) }
            }
        }
    }

    static func checkVariable(_ name: Located<String>, _ file: String, _ out: inout [Diagnostic]) {
        guard !EnvironmentVariableName.isValid(name.value) else { return }
        let fixed = String(name.value.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? Character($0.uppercased()) : "_" })
        let suggestion = EnvironmentVariableName.isValid(fixed) ? fixed : nil
        out.append(Diagnostic(
            .E006, "password-env '\(name.value)' is not an environment variable name", file: file, range: name.range,
            help: "password-env names the environment variable that holds the password (letters, digits and '_', "
                + "not starting with a digit)" + (suggestion.map { ", such as \($0)" } ?? ""),
            fix: suggestion.map { Diagnostic.FixIt(message: "write '\($0)'", range: name.range, replacement: $0) }))
    }

    static func checkURI(_ uri: Located<String>, _ field: String, needsUser: Bool, _ file: String, _ out: inout [Diagnostic]) {
        if let problem = SIPURI.problem(uri.value) {
            let suggestion = suggestion(for: uri.value, needsUser: needsUser)
            out.append(Diagnostic(
                .E006, "\(field) '\(uri.value)' is not a SIP URI: \(problem)", file: file, range: uri.range,
                help: suggestion.map { "write it as a SIP URI: '\($0)'" }
                    ?? (needsUser ? "write the address of record like \"sip:4420712345@registrar.acme.example\""
                        : "write the registrar like \"sip:registrar.acme.example:5060\""),
                fix: suggestion.map { Diagnostic.FixIt(message: "write '\($0)'", range: uri.range, replacement: Diagnostic.FixIt.scalar($0)) }))
        } else if needsUser, !uri.value.contains("@") {
            out.append(Diagnostic(
                .E006, "aor '\(uri.value)' names no user: an address of record is sip:USER@DOMAIN", file: file, range: uri.range,
                help: "write the address of record like \"sip:4420712345@registrar.acme.example\""))
        }
    }

    /// The URI meant, when obvious: `sip://x` without the slashes, a bare
    /// `host[:port]` (or `user@host` for an AOR) with `sip:` in front.
    static func suggestion(for value: String, needsUser: Bool) -> String? {
        let lower = value.lowercased()
        if lower.contains("://") { return SIPURI.withoutSlashes(value) }
        guard !lower.hasPrefix("sip:"), !lower.hasPrefix("sips:"), !needsUser || value.contains("@") else { return nil }
        let uri = "sip:" + value
        return SIPURI.problem(uri) == nil ? uri : nil
    }

    static func checkFlow(_ flow: Located<String>, _ context: CheckContext, _ file: String, _ out: inout [Diagnostic]) {
        let name = flow.value
        let all = context.project.flows + context.project.contextFlows
        guard context.flowsByName[name] == nil, !all.contains(where: { $0.extensionNumber?.value == name }) else { return }
        let candidates = Array(context.flowsByName.keys).sorted()
        let guess = closestMatch(to: name, in: candidates)
        out.append(Diagnostic(
            .E202, "register flow '\(name)' names no flow in the project", file: file, range: flow.range,
            notes: [.init(candidates.isEmpty ? "the project has no flows"
                          : "flows in the project: \(candidates.joined(separator: ", "))")],
            help: guess.map { "did you mean '\($0)'?" } ?? "name a flow by its 'ivr:' name or its extension",
            fix: guess.map { Diagnostic.FixIt(message: "replace with '\($0)'", range: flow.range, replacement: Diagnostic.FixIt.scalar($0)) }))
    }
}
