import IVRSyntax

/// W104: a menu prompt offers a key ("press 3", "3 for ...") that the menu
/// has no option for. W105: an option whose key no prompt mentions, when
/// every prompt step has text (a `play` without `transcript` might say
/// anything, so then W105 stays quiet). Capture prompts are not concerned
/// ("press hash when done" is about the terminator).
enum PromptMentions: FlowCheck {
    static func run(_ analysis: FlowAnalysis, _ context: CheckContext, _ out: inout [Diagnostic]) {
        var tokens: [UInt8] = []
        tokens.reserveCapacity(64)
        for entry in analysis.index.entries(.menu) where !analysis.broken.nodes[entry.node] {
            guard case .menu(let menu) = entry.step.kind else { continue }
            var options = KeySet()
            for option in menu.options { options.insert(option.key.value) }
            var mentioned = KeySet()
            var anyMedia = false
            var allHaveText = true
            func read(_ prompt: Prompt) {
                for step in prompt.steps {
                    anyMedia = true
                    guard let text = KeyMentions.text(of: step) else {
                        allHaveText = false
                        continue
                    }
                    let mentions = KeyMentions(text.value, tokens: &tokens)
                    mentioned.formUnion(mentions.mentioned)
                    guard !mentions.advertisedKeys.isSubset(of: options) else { continue }
                    for key in mentions.advertised where menu.option(for: key) == nil {
                        out.append(.offeredButMissing(key, text: text, in: analysis.flow))
                    }
                }
            }
            read(menu.prompt)
            if let short = menu.shortPrompt { read(short) }
            guard anyMedia, allHaveText else { continue }
            for option in menu.options where !mentioned.contains(option.key.value) {
                out.append(.notMentioned(option, in: analysis.flow))
            }
        }
    }
}

fileprivate extension Diagnostic {
    static func offeredButMissing(_ key: DTMFKey, text: Located<String>, in flow: Flow) -> Diagnostic {
        Diagnostic(.W104, "the prompt offers key \(key.rawValue), but the menu has no option '\(key.rawValue)'",
                   file: flow.file, range: text.range,
                   help: "add an option \"\(key.rawValue)\": ..., or change the prompt")
    }

    static func notMentioned(_ option: Menu.Option, in flow: Flow) -> Diagnostic {
        Diagnostic(.W105, "no prompt of this menu mentions key \(option.key.value.rawValue): callers will not know about this option",
                   file: flow.file, range: option.key.range,
                   help: "mention it in the prompt (\"... press \(option.key.value.rawValue)\"), or remove the option")
    }
}
