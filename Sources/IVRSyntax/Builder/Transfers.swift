/// `transfer`, `webhook` and `record` steps (sections 3, 5.3 and 7).
extension FlowBuilder {
    static let destinationKeys = Destination.Kind.allCases.map(\.rawValue)
    static let destinationKeyProbes = ProbeTable(destinationKeys)
    /// The fields only a bridged transfer has (flow-language 5.3): with `refer` they are E214.
    static let bridgeOnlyFields = ["ringback", "whisper", "confirm", "confirm-timeout", "record", "max-duration"]
    static let transferFields = destinationKeys + ["caller-id", "timeout", "allow", "on-fail", "via"] + bridgeOnlyFields
    static let webhookFields = ["url", "method", "body", "timeout", "into", "on-error"]
    static let recordFields = ["into", "max", "beep", "finish-on", "silence"]
    static let transferFieldNames = FieldNames(transferFields)
    static let webhookFieldNames = FieldNames(webhookFields)
    static let recordFieldNames = FieldNames(recordFields)
    static let waitFields = ["for", "timeout"]
    static let waitFieldNames = FieldNames(waitFields)

    mutating func buildTransfer(_ node: YAMLView) -> Transfer? {
        if let s = node.scalar, !node.isNull {
            let guess = s.hasPrefix("+") ? "number" : s.hasPrefix("sip") ? "sip" : s.allSatisfy(\.isASCIIDigit) ? "extension" : "ivr"
            sink.emit(.E005, "'transfer' takes a destination mapping, found '\(s)'", at: node.range,
                      help: "write 'transfer: {\(guess): \"\(s)\"}'")
            nodeIsMalformed = true
            return nil
        }
        guard let f = fields(of: node, in: "transfer", allowed: Self.transferFieldNames) else { return nil }
        var given: [YAMLView.Pair] = []
        for pair in node.lazyPairs ?? YAMLView.Pairs.empty(node) {
            let key = pair.key
            if key.firstMatch(in: Self.destinationKeyProbes) != nil { given.append(pair) }
        }
        guard let first = given.first else {
            sink.emit(.E004, "transfer needs a destination: one of \(Self.destinationKeys.joined(separator: ", "))",
                      at: f.headRange)
            nodeIsMalformed = true
            return nil
        }
        for extra in given.dropFirst() {
            sink.emit(.E006, "a transfer takes exactly one destination; '\(first.key.scalar ?? "")' is already given",
                      at: extra.key.range,
                      notes: [Diagnostic.Note("first destination", file: sink.file, range: first.key.range)])
            nodeIsMalformed = true
        }
        guard let kind = Destination.Kind(rawValue: first.key.scalar ?? ""),
              let value = interpolated(first.value, kind.rawValue) else { return nil }
        var transfer = Transfer(destination: Destination(kind: kind, kindRange: first.key.range, value: value))
        transfer.callerID = f["caller-id"].flatMap { interpolated($0, "caller-id") }
        transfer.timeout = f["timeout"].flatMap { duration($0, "timeout", DurationLimits.ringTimeout) }
        transfer.allow = f["allow"].flatMap { locatedString($0, "allow") }
        transfer.onFail = f["on-fail"].flatMap { buildTarget($0, "on-fail") }
        readBridgeFields(f, into: &transfer)
        return transfer
    }

    mutating func buildWebhook(_ node: YAMLView) -> Webhook? {
        guard let f = fields(of: node, in: "webhook", allowed: Self.webhookFieldNames),
              let urlNode = f.require("url", &self, what: "'url'"),
              let url = interpolated(urlNode, "url") else { return nil }
        if !Self.isHTTPURL(url.value.raw) {
            sink.emit(.E006, "webhook url '\(url.value.raw)' must start with https:// (or http://)", at: urlNode.range)
            nodeIsMalformed = true
        }
        var webhook = Webhook(url: url)
        if let m = f["method"], let s = string(m, "method") {
            if let method = Webhook.Method(rawValue: s.uppercased()) {
                webhook.method = Located(method, m.range)
            } else {
                let guess = closestMatch(to: s.uppercased(), in: ["GET", "POST"])
                sink.emit(.E006, "method must be GET or POST, found '\(s)'", at: m.range,
                          help: guess.map { "did you mean '\($0)'?" },
                          fix: guess.map { Diagnostic.FixIt(message: "replace with '\($0)'", range: m.range, replacement: $0) })
                nodeIsMalformed = true
            }
        }
        if let bodyNode = f["body"] {
            if webhook.effectiveMethod == .GET {
                sink.emit(.E006, "a GET webhook has no body", at: f.key("body")!.range,
                          help: "add 'method: POST' to send the body as JSON")
            }
            webhook.body = jsonTemplate(bodyNode, depth: 0)
        }
        webhook.timeout = f["timeout"].flatMap { duration($0, "timeout", DurationLimits.webhookTimeout) }
        webhook.into = f["into"].flatMap { variableName($0, "into") }
        webhook.onError = f["on-error"].flatMap { buildTarget($0, "on-error") }
        return webhook
    }

    private mutating func jsonTemplate(_ node: YAMLView, depth: Int) -> JSONTemplate? {
        switch node.shape {
        case .scalar:
            let s = node.scalar ?? ""
            if node.style == .plain {
                if node.isNull { return .null(node.range) }
                if s == "true" || s == "false" { return .bool(s == "true", node.range) }
                if Self.isJSONNumber(s) { return .number(s, node.range) }
            }
            return interpolated(node, "body").map { .string($0) }
        case .sequence:
            let items = node.lazyItems.map(Array.init) ?? []
            return .array(items.compactMap { jsonTemplate($0, depth: depth + 1) }, node.range)
        case .mapping:
            let pairs = node.lazyPairs.map(Array.init) ?? []
            var members: [(key: Located<String>, value: JSONTemplate)] = []
            for pair in pairs {
                guard let key = locatedString(pair.key, "body key"),
                      let value = jsonTemplate(pair.value, depth: depth + 1) else { continue }
                members.append((key, value))
            }
            return .object(members, node.range)
        }
    }

    static func isJSONNumber(_ s: String) -> Bool {
        var chars = Substring(s)
        if chars.first == "-" { chars = chars.dropFirst() }
        guard let first = chars.first, first.isASCIIDigit else { return false }
        if first == "0", chars.count > 1, chars.dropFirst().first != "." { return false }
        let parts = chars.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return false }
        return parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }
    }

    mutating func buildWait(_ node: YAMLView) -> Wait? {
        guard let f = fields(of: node, in: "wait", allowed: Self.waitFieldNames),
              let forNode = f.require("for", &self, what: "'for' (beep or silence)"),
              let text = string(forNode, "for") else { return nil }
        guard let kind = Wait.Kind(rawValue: text) else {
            sink.emit(.E006, "wait's 'for' must be 'beep' or 'silence', found '\(text)'", at: forNode.range)
            return nil
        }
        var wait = Wait(kind: Located(kind, forNode.range))
        wait.timeout = f["timeout"].flatMap { duration($0, "timeout", DurationLimits.waitTimeout) }
        return wait
    }

    mutating func buildRecord(_ node: YAMLView) -> Record? {
        guard let f = fields(of: node, in: "record", allowed: Self.recordFieldNames),
              let intoNode = f.require("into", &self, what: "'into' (the variable that receives the recording)"),
              let into = variableName(intoNode, "into") else { return nil }
        var record = Record(into: into)
        record.max = f["max"].flatMap { duration($0, "max", DurationLimits.recordMax) }
        record.beep = f["beep"].flatMap { bool($0, "beep") }
        if let t = f["finish-on"], let s = string(t, "finish-on") {
            if s == "none" {
                record.finishOn = Located(nil, t.range)
            } else if let key = DTMFKey(spelling: s) {
                record.finishOn = Located(key, t.range)
            } else {
                sink.emit(.E006, "finish-on must be a key (0-9, *, #) or 'none', found '\(s)'", at: t.range)
            }
        }
        record.silence = f["silence"].flatMap { duration($0, "silence", DurationLimits.recordSilence) }
        return record
    }
}
