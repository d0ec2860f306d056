import IVRBytecode

/// Moves between menus and flows, and requests to the world (transfers,
/// webhooks, recordings).
extension CallVM {
    /// A menu is entered: it goes on top of the back stack, or, when it is
    /// already there, everything above it is dropped (no loops in history).
    mutating func enterMenu(at offset: Int) {
        if let i = backStack.lastIndex(where: { $0.flow == flow && $0.pc == offset }) {
            backStack.removeSubrange((i + 1)...)
        } else {
            if backStack.count == Self.maxBackStack { backStack.removeFirst() }
            backStack.append((flow, offset, node))
        }
    }

    @inline(never)
    mutating func move(_ instruction: Instruction) -> Effect? {
        switch instruction {
        case .back(let leaveCurrent):
            if leaveCurrent == 1, !backStack.isEmpty { backStack.removeLast() }
            guard let target = backStack.last else { return restart() }
            return reenter(target)
        case .top:
            backStack.removeAll()
            return restart()
        case .resume:
            guard let target = backStack.last else { return restart() }
            return reenter(target)
        case .gotoFlow(let target):
            switchFlow(to: target.index)
            pc = image.entry
            return .enterFlow(bundle.flowName(target.index))
        default:
            return .error("not a move at \(pc)")  // unreachable: `step` sends only moves
        }
    }

    /// Back at a menu of the stack: its node joins the visited path again.
    private mutating func reenter(_ target: (flow: Int, pc: Int, node: String)) -> Effect? {
        if target.flow != flow { switchFlow(to: target.flow) }
        pc = target.pc
        node = target.node
        return .enterNode(node)
    }

    private mutating func restart() -> Effect? {
        pc = image.entry
        return nil
    }

    /// Continues the call in another flow: the built-ins follow, user
    /// variables of the flow left are kept for the call record (and come
    /// back if the caller returns to that flow with `back`).
    mutating func switchFlow(to target: Int) {
        let builtins = BuiltinVariable.allCases.count
        for (i, info) in image.variables.enumerated() where i >= builtins {
            if let value = variables[i] { carried[strings[info.name]] = (value, isSensitive(i)) }
        }
        let old = variables
        taint.clear(from: builtins)
        flow = target
        program = bundle.programs[target]
        flowHasSensitive = image.variables.contains { $0.sensitive }
        attempts = Array(repeating: 0, count: image.slots)
        variables = Array(repeating: nil, count: image.variables.count)
        for i in 0..<builtins { variables[i] = old[i] }
        store(BuiltinVariable.flow.index, bundle.flowName(target))
        if let language = image.language { store(BuiltinVariable.language.index, strings[language]) }
        if let voice = image.voice { store(BuiltinVariable.voice.index, strings[voice]) }
        for (i, info) in image.variables.enumerated() where i >= builtins {
            let kept = carried[strings[info.name]]
            store(i, kept?.value, sensitive: kept?.sensitive ?? false)
        }
        applyPresets()
    }

    @inline(never)
    mutating func request(_ instruction: Instruction, next: Int) -> Effect? {
        switch instruction {
        case let .transfer(kind, destination, callerIDText, timeout, allow, fail):
            transferAt = pc
            let value = interpolate(destination.parts)
            let callerID = callerIDText.map { interpolate($0.parts) }
            pc = next
            var request = TransferRequest(kind: kind, value: value, callerID: callerID, timeout: Int(timeout))
            request.sensitive = isTainted(destination.parts)
            request.callerIDSensitive = callerIDText.map { isTainted($0.parts) } ?? false
            takeBridge(into: &request)
            if let allow, bundle.patterns[allow.index]?.matches(value) != true {
                pc = fail.offset
                return .refused(kind: kind, value: request.shownValue)
            }
            waiting = .transfer(fail: fail.offset)
            return .transfer(request)
        case .transferKeyed(let fail):
            transferAt = pc
            pc = next
            waiting = .transfer(fail: fail.offset)
            var request = TransferRequest(kind: .extension, value: input, callerID: nil, timeout: 30_000)
            takeBridge(into: &request)
            return .transfer(request)
        case let .webhook(method, urlText, bodyText, timeout, into, fail):
            let url = interpolate(urlText.parts, escape: CallVM.percentEncode)
            let body = bodyText.map { interpolate($0.parts, escape: JSONEscape.escape) }
            pc = next
            waiting = .webhook(into: into?.index, fail: fail.offset)
            var request = WebhookRequest(method: method == 1 ? "POST" : "GET", url: url, body: body, timeout: Int(timeout))
            // The checker's E503 keeps sensitive values out of URLs; a bundle that did not pass it still shows `***`.
            if isTainted(urlText.parts) { request.redactedURL = shown(urlText.parts, escape: CallVM.percentEncode) }
            return .webhook(request)
        case let .record(into, max, beep, finish, silence):
            pc = next
            waiting = .record(into.index)
            budget = 0
            return .record(RecordRequest(maxDuration: Int(max), beep: beep == 1, finishOn: finish?.character, silence: Int(silence)))
        default:
            return .error("not a request at \(pc)")  // unreachable: `step` sends only requests
        }
    }

    /// Keeps a webhook's JSON answer: `into` holds the JSON text and every
    /// `into.field` (or `into.a.b`) variable of the flow the field's value.
    /// An empty body (a 204) is an object without fields. False when the
    /// body is not a JSON object (the webhook failed).
    mutating func storeResponse(_ response: WebhookResponse, into: Int?) -> Bool {
        guard let into else { return true }
        let empty = response.body.allSatisfy { [0x20, 0x09, 0x0A, 0x0D].contains($0) }
        guard let json = empty ? JSON.object([]) : JSONParser.parse(response.body), case .object = json else { return false }
        let name = strings[image.variables[into].name]
        store(into, json.serialized)
        let prefix = name + "."
        for (i, info) in image.variables.enumerated() where strings[info.name].hasPrefix(prefix) {
            var value: JSON? = json
            for key in strings[info.name].dropFirst(prefix.count).split(separator: ".", omittingEmptySubsequences: false) {
                value = value?[String(key)]
            }
            store(i, value?.variableValue)
        }
        return true
    }

    /// Variable values in URLs are percent-encoded (unreserved characters stay).
    static func percentEncode(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                let h = String(b, radix: 16, uppercase: true)
                out += "%" + (h.count == 1 ? "0" + h : h)
            }
        }
        return out
    }
}
