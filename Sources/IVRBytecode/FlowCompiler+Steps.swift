import IVRSyntax

/// Steps, targets, transfers, webhooks and conditions.
extension FlowCompiler {
    mutating func compileSteps(_ steps: [Step], then continuation: Continuation) {
        let saved = asm.location
        defer { asm.location = saved }
        for step in steps {
            asm.location = step.keyRange.start
            compileStep(step)
        }
        if steps.last?.alwaysJumps == true { return }
        switch continuation {
        case .hangup: asm.emit(.hangup)
        case .fallThrough: break
        case .jump(let label): asm.emit(.jump(Assembler.target(label)))
        }
    }

    mutating func compileStep(_ step: Step) {
        switch step.kind {
        case .say(let say):
            asm.emit(.say(text(say.text.value), voice: optString(say.voice?.value), language: optString(say.language?.value)))
        case .play(let play):
            asm.emit(.play(string(play.file.value), transcript: optString(play.transcript?.value)))
        case .set(let set):
            for a in set.assignments {
                let value = text(a.value.value)
                asm.emit(.set(VariableRef(variable(a.name.value)), value))
            }
        case .menu(let menu): compileMenu(menu)
        case .capture(let capture): compileCapture(capture)
        case .branch(let branch): compileBranch(branch)
        case .goto(let target): compileTarget(target, then: .hangup)
        case .transfer(let transfer): compileTransfer(transfer)
        case .webhook(let webhook): compileWebhook(webhook)
        case .record(let record):
            asm.emit(.record(into: VariableRef(variable(record.into.value)),
                             max: UInt64((record.max?.value ?? Record.defaultMax).milliseconds),
                             beep: record.beep?.value == false ? 0 : 1,
                             finishOn: record.effectiveFinishOn,
                             silence: UInt64((record.silence?.value ?? .seconds(5)).milliseconds)))
        case .hangup: asm.emit(.hangup)
        case .wait(let wait):
            asm.emit(.waitCallee(kind: wait.kind.value == .beep ? 0 : 1, timeout: UInt64(wait.effectiveTimeout.milliseconds)))
        }
    }

    /// Jumps to a target; inline steps that end without a jump continue as `continuation` says.
    mutating func compileTarget(_ target: Target, then continuation: Continuation) {
        switch target {
        case .node(let name):
            if let label = nodeLabels[name.value] {
                asm.emit(.jump(Assembler.target(label)))
            } else {
                asm.emit(.hangup)  // refused by the checker (E201); never built
            }
        case .builtin(let b):
            switch b.value {
            case .repeat:
                if let loop = repeatTargets.last { asm.emit(.jump(Assembler.target(loop))) } else { asm.emit(.resume) }
            case .back: asm.emit(.back(leaveCurrent: menuDepth > 0 ? 1 : 0))
            case .top: asm.emit(.top)
            case .hangup: asm.emit(.hangup)
            }
        case .inline(let steps, _):
            compileSteps(steps, then: continuation)
        }
    }

    private mutating func compileBranch(_ branch: Branch) {
        let end = asm.newLabel()
        for arm in branch.arms {
            let next = asm.newLabel()
            asm.emit(.branchIfFalse(condition(arm.condition), Assembler.target(next)))
            compileTarget(arm.then, then: .jump(end))
            asm.bind(next)
        }
        if let otherwise = branch.otherwise {
            compileTarget(otherwise, then: .jump(end))
        }
        asm.bind(end)
    }

    private mutating func compileTransfer(_ transfer: Transfer) {
        let destination = transfer.destination
        if destination.kind == .ivr {
            if let index = flowIndex[destination.value.value.raw] {
                asm.emit(.gotoFlow(FlowRef(index)))
            } else {
                asm.emit(.hangup)  // refused by the checker (E202)
            }
            return
        }
        let kind = DestinationKind(rawValue: destination.kind.rawValue) ?? .number
        let fail = asm.newLabel()
        compileBridgeOptions(transfer)
        asm.emit(.transfer(kind, text(destination.value.value),
                           callerID: transfer.callerID.map { text($0.value) },
                           ringTimeout: UInt64((transfer.timeout?.value ?? Transfer.defaultTimeout).milliseconds),
                           allow: optString(transfer.allow?.value), fail: Assembler.target(fail)))
        asm.bind(fail)
        compileTarget(transfer.onFail ?? .builtin(Located(.hangup, destination.kindRange)), then: .hangup)
    }

    /// `BRIDGEOPT` (and `BRIDGEMEDIA` after each queued ringback or
    /// whisper) before a `TRANSFER` that has a `via` or a bridge field; a
    /// plain transfer gets none, so bundles of flows without bridges are
    /// byte for byte what they were.
    private mutating func compileBridgeOptions(_ transfer: Transfer) {
        guard transfer.via != nil || !transfer.bridgeOnlyKeys.isEmpty else { return }
        let via = BridgeCode.encodeVia(transfer.via?.value.rawValue)
        var tone: UInt64 = 0
        if case .tone(let region?, _)? = transfer.ringback {
            tone = UInt64(BridgeCode.tones.firstIndex(of: region.value.rawValue) ?? 0)
        }
        asm.emit(.bridgeOptions(via: via, confirm: BridgeCode.encodeConfirm(transfer.confirm?.value),
                                confirmTimeout: UInt64((transfer.confirmTimeout?.value ?? Transfer.defaultConfirmTimeout).milliseconds),
                                record: transfer.record?.value == true ? 1 : 0,
                                maxDuration: UInt64(transfer.maxDuration?.value.milliseconds ?? 0),
                                ringback: tone))
        if case .media(let prompt)? = transfer.ringback, !prompt.steps.isEmpty {
            queue(prompt)
            asm.emit(.bridgeMedia(role: BridgeCode.ringbackRole))
        }
        if let whisper = transfer.whisper, !whisper.steps.isEmpty {
            queue(whisper)
            asm.emit(.bridgeMedia(role: BridgeCode.whisperRole))
        }
    }

    private mutating func compileWebhook(_ webhook: Webhook) {
        let failed = asm.newLabel(), done = asm.newLabel()
        let body: CodeText? = webhook.effectiveMethod == .POST ? webhook.body.map { CodeText(jsonText($0)) } : nil
        asm.emit(.webhook(method: webhook.effectiveMethod == .POST ? 1 : 0, url: text(webhook.url.value), body: body,
                          timeout: UInt64((webhook.timeout?.value ?? Webhook.defaultTimeout).milliseconds),
                          into: webhook.into.map { VariableRef(variable($0.value)) }, error: Assembler.target(failed)))
        asm.emit(.jump(Assembler.target(done)))
        asm.bind(failed)
        compileTarget(webhook.onError ?? .builtin(Located(.hangup, webhook.url.range)), then: .hangup)
        asm.bind(done)
    }

    /// A JSON body as text: constants carry the JSON syntax, variables are
    /// escaped as JSON string content when the request is made.
    private mutating func jsonText(_ t: JSONTemplate) -> [TextPart] {
        var parts: [TextPart] = []
        var pending = ""
        func flush(_ c: inout FlowCompiler) {
            if !pending.isEmpty { parts.append(.constant(c.pool.intern(pending))); pending = "" }
        }
        func walk(_ t: JSONTemplate, _ c: inout FlowCompiler, depth: Int) {
            guard depth < 64 else { pending += "null"; return }
            switch t {
            case .string(let s):
                pending += "\""
                for part in s.value.parts {
                    switch part {
                    case .text(let text): pending += JSONEscape.escape(text)
                    case .variable(let name, _):
                        flush(&c)
                        parts.append(.variable(c.variable(name)))
                    }
                }
                pending += "\""
            case .number(let n, _): pending += n
            case .bool(let b, _): pending += b ? "true" : "false"
            case .null: pending += "null"
            case .array(let items, _):
                pending += "["
                for (i, item) in items.enumerated() {
                    if i > 0 { pending += "," }
                    walk(item, &c, depth: depth + 1)
                }
                pending += "]"
            case .object(let pairs, _):
                pending += "{"
                for (i, pair) in pairs.enumerated() {
                    if i > 0 { pending += "," }
                    pending += "\"" + JSONEscape.escape(pair.key.value) + "\":"
                    walk(pair.value, &c, depth: depth + 1)
                }
                pending += "}"
            }
        }
        walk(t, &self, depth: 0)
        flush(&self)
        return parts
    }

    /// A parsed condition in the bundle's form; a condition that did not parse
    /// (refused by the checker) is false.
    private mutating func condition(_ e: Expression?) -> CodeExpression {
        guard let e else { return .bool(false) }
        return code(e, depth: 0)
    }

    private mutating func code(_ e: Expression, depth: Int) -> CodeExpression {
        guard depth < ExpressionCode.maxDepth - 1 else { return .bool(false) }
        switch e {
        case .string(let s, _): return .string(pool.intern(s))
        case .number(let n, _): return .number(n)
        case .bool(let b, _): return .bool(b)
        case .variable(let name, _): return .variable(variable(name))
        case .unary(_, let x, _): return .not(code(x, depth: depth + 1))
        case .binary(let op, let l, let r, _): return .binary(op, code(l, depth: depth + 1), code(r, depth: depth + 1))
        case .call(let name, let args, _):
            if name.value == "open" {
                if args.count == 1, case .string(let s, _) = args[0], let index = schedules[s] { return .open(schedule: index) }
                return .bool(false)
            }
            guard let fn = CodeFunction.allCases.first(where: { $0.name == name.value }), fn.arity == args.count else {
                return .bool(false)
            }
            return .call(fn, args.map { code($0, depth: depth + 1) })
        }
    }
}

/// JSON string escaping, shared by the compiler (constant text) and the
/// runtime (variable values in webhook bodies and records).
public enum JSONEscape {
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let h = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out
    }
}
