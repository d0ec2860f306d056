import IVRSyntax

/// Menus and captures: the attempt loop of flow-language.md sections 4 and 5.1.
///
/// ```
///        MENU slot                    ATTEMPT1 slot
/// loop:  IFRETRY slot short           loop:  (prompts as for a menu)
///        QSAY/QPLAY prompt...                WAITDIGITS min max term ...
///        JUMP wait                           ONTIMEOUT timeout
/// short: QSAY/QPLAY short-prompt...          ACCEPT into invalid
/// wait:  WAITKEY timeout                     JUMP done
///        EXTEND pattern idt           invalid: INVALID, on-invalid, JUMP retry
///        ONTIMEOUT timeout            timeout: on-timeout
///        ONEXT pattern keyed          retry:   RETRY slot attempts loop
///        ONKEY k option-k ...                  on-exhausted
///        INVALID, on-invalid          done:
///        JUMP retry
/// timeout: on-timeout
/// retry: RETRY slot attempts loop
///        on-exhausted
/// option-k: target ...     keyed: XFERKEYED fail / fail: HANGUP
/// ```
extension FlowCompiler {
    mutating func compileMenu(_ menu: Menu) {
        let slot = newSlot()
        asm.emit(.menu(SlotRef(slot)))
        let loop = asm.here()
        compilePrompts(menu.prompt, short: menu.shortPrompt, slot: slot)
        let timeout = menu.timeout?.value ?? flow.defaults.timeout?.value ?? WaitDefaults.timeout
        asm.emit(.waitKey(timeout: UInt64(timeout.milliseconds)))
        let keyed = asm.newLabel()
        if let dbe = menu.dialByExtension {
            let idt = dbe.interDigitTimeout?.value ?? menu.interDigitTimeout?.value
                ?? flow.defaults.interDigitTimeout?.value ?? WaitDefaults.interDigitTimeout
            asm.emit(.extendKeys(pattern: string(dbe.pattern.value), interDigit: UInt64(idt.milliseconds)))
        }
        let timedOut = asm.newLabel(), retry = asm.newLabel()
        asm.emit(.onTimeout(Assembler.target(timedOut)))
        if let dbe = menu.dialByExtension {
            asm.emit(.onExtension(pattern: string(dbe.pattern.value), Assembler.target(keyed)))
        }
        // An option naming a node jumps straight to it; others get a block below.
        var optionLabels: [Assembler.Label?] = []
        for option in menu.options {
            var direct: Assembler.Label?
            if case .node(let name) = option.target { direct = nodeLabels[name.value] }
            let label = direct ?? asm.newLabel()
            optionLabels.append(direct == nil ? label : nil)
            asm.emit(.onKey(option.key.value, Assembler.target(label)))
        }
        repeatTargets.append(loop)
        menuDepth += 1
        asm.emit(.invalid)
        if let handler = menu.onInvalid { compileTarget(handler, then: .fallThrough) }
        asm.emit(.jump(Assembler.target(retry)))
        asm.bind(timedOut)
        if let handler = menu.onTimeout { compileTarget(handler, then: .fallThrough) }
        asm.bind(retry)
        asm.emit(.retry(SlotRef(slot), attempts: UInt64(attempts(menu.attempts)), loop: Assembler.target(loop)))
        compileTarget(menu.onExhausted ?? .builtin(Located(.hangup, menu.optionsRange)), then: .hangup)
        for (option, label) in zip(menu.options, optionLabels) {
            guard let label else { continue }
            asm.bind(label)
            compileTarget(option.target, then: .hangup)
        }
        menuDepth -= 1
        repeatTargets.removeLast()
        if menu.dialByExtension != nil {
            let fail = asm.newLabel()
            asm.bind(keyed)
            asm.emit(.transferKeyed(fail: Assembler.target(fail)))
            asm.bind(fail)
            asm.emit(.hangup)
        }
    }

    mutating func compileCapture(_ capture: Capture) {
        let slot = newSlot()
        asm.emit(.attemptReset(SlotRef(slot)))
        let loop = asm.here()
        if let prompt = capture.prompt {
            compilePrompts(prompt, short: capture.shortPrompt, slot: slot)
        }
        let timeout = capture.timeout?.value ?? flow.defaults.timeout?.value ?? WaitDefaults.timeout
        let idt = capture.interDigitTimeout?.value ?? flow.defaults.interDigitTimeout?.value ?? WaitDefaults.interDigitTimeout
        let maxDigits = min(max(capture.effectiveMax, 1), Capture.maxDigitsLimit)
        asm.emit(.waitDigits(min: UInt64(min(max(capture.effectiveMin, 0), maxDigits)), max: UInt64(maxDigits),
                             terminator: capture.effectiveTerminator,
                             timeout: UInt64(timeout.milliseconds), interDigit: UInt64(idt.milliseconds),
                             pattern: optString(capture.pattern?.value), flags: capture.isSensitive ? 1 : 0))
        let timedOut = asm.newLabel(), invalid = asm.newLabel(), retry = asm.newLabel(), done = asm.newLabel()
        asm.emit(.onTimeout(Assembler.target(timedOut)))
        asm.emit(.accept(into: VariableRef(variable(capture.into.value, sensitive: capture.isSensitive)), invalid: Assembler.target(invalid)))
        asm.emit(.jump(Assembler.target(done)))
        repeatTargets.append(loop)
        asm.bind(invalid)
        asm.emit(.invalid)
        if let handler = capture.onInvalid { compileTarget(handler, then: .fallThrough) }
        asm.emit(.jump(Assembler.target(retry)))
        asm.bind(timedOut)
        if let handler = capture.onTimeout { compileTarget(handler, then: .fallThrough) }
        asm.bind(retry)
        asm.emit(.retry(SlotRef(slot), attempts: UInt64(attempts(capture.attempts)), loop: Assembler.target(loop)))
        compileTarget(capture.onExhausted ?? .builtin(Located(.hangup, capture.into.range)), then: .hangup)
        repeatTargets.removeLast()
        asm.bind(done)
    }

    /// The prompt, or from the second attempt on the short prompt when there is one.
    private mutating func compilePrompts(_ prompt: Prompt, short: Prompt?, slot: Int) {
        guard let short else {
            queue(prompt)
            return
        }
        let shortLabel = asm.newLabel(), wait = asm.newLabel()
        asm.emit(.ifRetry(SlotRef(slot), short: Assembler.target(shortLabel)))
        queue(prompt)
        asm.emit(.jump(Assembler.target(wait)))
        asm.bind(shortLabel)
        queue(short)
        asm.bind(wait)
    }

    mutating func queue(_ prompt: Prompt) {
        for step in prompt.steps {
            switch step.kind {
            case .say(let say):
                asm.emit(.queueSay(text(say.text.value), voice: optString(say.voice?.value), language: optString(say.language?.value)))
            case .play(let play):
                asm.emit(.queuePlay(string(play.file.value), transcript: optString(play.transcript?.value)))
            default: break  // only media steps are prompts (the builder refuses others)
            }
        }
    }

    private func attempts(_ own: Located<Int>?) -> Int {
        let n = own?.value ?? flow.defaults.attempts?.value ?? WaitDefaults.attempts
        return min(max(n, WaitDefaults.attemptsRange.lowerBound), WaitDefaults.attemptsRange.upperBound)
    }
}
