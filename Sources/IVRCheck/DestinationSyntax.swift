import IVRSyntax

/// E206: a constant transfer destination that is malformed: an external
/// number that is not E.164, an extension that is not digits, a SIP address
/// that is not an RFC 3261 URI. Interpolated destinations are checked at run
/// time (and by the taint analysis, E501).
enum DestinationSyntax: FlowCheck {
    static func run(_ analysis: FlowAnalysis, _ context: CheckContext, _ out: inout [Diagnostic]) {
        for entry in analysis.index.entries(.transfer) {
            guard case .transfer(let t) = entry.step.kind, t.destination.value.value.isConstant else { continue }
            let value = t.destination.value.value.raw
            let problem: String?
            switch t.destination.kind {
            case .number: problem = E164.problem(value)
            case .extension: problem = value.isEmpty || !value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
                ? "an extension is digits only" : nil
            case .sip: problem = SIPURI.problem(value)
            case .conference, .group, .app, .ivr: problem = nil
            }
            if let problem {
                out.append(.malformedDestination(t.destination, problem: problem, in: analysis.flow))
            }
        }
    }
}

/// `+` followed by 8 to 15 digits.
public enum E164 {
    public static func problem(_ s: String) -> String? {
        guard s.hasPrefix("+") else { return "an external number is E.164: '+', then the country code and number" }
        let digits = s.dropFirst()
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return "an E.164 number holds only digits after '+'" }
        guard (8...15).contains(digits.count) else { return "an E.164 number has 8 to 15 digits, this one has \(digits.count)" }
        return nil
    }
}

/// RFC 3261 section 19.1 `sip:`/`sips:` URIs: `sip:user@host:port;params?headers`.
public enum SIPURI {
    public static func problem(_ s: String) -> String? {
        let lower = s.lowercased()
        let rest: Substring
        if lower.hasPrefix("sip:") { rest = s.dropFirst(4) } else if lower.hasPrefix("sips:") { rest = s.dropFirst(5) } else {
            return "a SIP address starts with 'sip:' or 'sips:'"
        }
        var main = rest
        if let q = main.firstIndex(of: "?") {
            guard headersValid(main[main.index(after: q)...]) else { return "malformed headers after '?'" }
            main = main[..<q]
        }
        var hostPart = main
        if let at = main.lastIndex(of: "@") {
            let user = main[..<at]
            guard !user.isEmpty, user.unicodeScalars.allSatisfy(isUserChar) else { return "malformed user part before '@'" }
            hostPart = main[main.index(after: at)...]
        }
        let params = hostPart.split(separator: ";", omittingEmptySubsequences: false)
        guard let hostport = params.first, !hostport.isEmpty else { return "a SIP address needs a host" }
        for param in params.dropFirst() {
            guard !param.isEmpty, param.unicodeScalars.allSatisfy({ isParamChar($0) || $0 == "=" }) else {
                return "malformed parameter ';\(param)'"
            }
        }
        return hostPortProblem(hostport)
    }

    /// `sip://host...` or `sips://host...` written as a web address: the
    /// URI without the slashes, when that is a valid one (a fix-it's text).
    static func withoutSlashes(_ value: String) -> String? {
        let lower = value.lowercased()
        for scheme in ["sip", "sips"] where lower.hasPrefix(scheme + "://") {
            let uri = scheme + ":" + value.dropFirst(scheme.count + 3)
            return problem(uri) == nil ? uri : nil
        }
        return nil
    }

    static func hostPortProblem(_ s: Substring) -> String? {
        var host = s
        var port: Substring?
        if s.hasPrefix("[") {
            guard let close = s.firstIndex(of: "]") else { return "unclosed IPv6 reference" }
            let inner = s[s.index(after: s.startIndex)..<close]
            guard !inner.isEmpty, inner.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return "malformed IPv6 address" }
            let after = s[s.index(after: close)...]
            if after.hasPrefix(":") { port = after.dropFirst() } else if !after.isEmpty { return "unexpected text after the host" }
            host = ""
        } else if let colon = s.firstIndex(of: ":") {
            host = s[..<colon]
            port = s[s.index(after: colon)...]
        }
        if let port {
            guard !port.isEmpty, port.count <= 5, port.allSatisfy({ $0.isASCII && $0.isNumber }), let p = Int(port), p <= 65535 else {
                return "malformed port ':\(port)'"
            }
        }
        if !s.hasPrefix("[") {
            guard !host.isEmpty else { return "a SIP address needs a host" }
            let labels = host.split(separator: ".", omittingEmptySubsequences: false)
            for label in labels {
                guard !label.isEmpty, label.first != "-", label.last != "-",
                      label.unicodeScalars.allSatisfy({ $0.properties.isASCIIHexDigit || isAlnum($0) || $0 == "-" }) else {
                    return "malformed host '\(host)'"
                }
            }
        }
        return nil
    }

    static func isAlnum(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9")
    }
    static func isUnreserved(_ c: Unicode.Scalar) -> Bool { isAlnum(c) || "-_.!~*'()".unicodeScalars.contains(c) }
    static func isUserChar(_ c: Unicode.Scalar) -> Bool { isUnreserved(c) || "%&=+$,;?/:".unicodeScalars.contains(c) }
    static func isParamChar(_ c: Unicode.Scalar) -> Bool { isUnreserved(c) || "%[]/:&+$".unicodeScalars.contains(c) }
    static func headersValid(_ s: Substring) -> Bool {
        !s.isEmpty && s.unicodeScalars.allSatisfy { isUnreserved($0) || "%[]/?:+$=&".unicodeScalars.contains($0) }
    }
}

fileprivate extension Diagnostic {
    static func malformedDestination(_ d: Destination, problem: String, in flow: Flow) -> Diagnostic {
        Diagnostic(.E206, "malformed \(d.kind.rawValue) destination '\(d.value.value.raw)': \(problem)",
                   file: flow.file, range: d.value.range,
                   help: d.kind == .number ? "write external numbers like \"+442071234567\""
                       : d.kind == .sip ? "write SIP addresses like \"sip:sales@pbx.example.com\"" : nil)
    }
}
