import IVRSyntax

/// W103: a menu where some keys do nothing (no option, and they do not
/// begin a `dial-by-extension` match) and there is no `on-invalid` to tell
/// the caller so. W108: an option key that also begins a longer
/// `dial-by-extension` match: a caller choosing it waits for the
/// inter-digit timeout before the option runs.
enum KeyCoverage: FlowCheck {
    static func run(_ analysis: FlowAnalysis, _ context: CheckContext, _ out: inout [Diagnostic]) {
        let broken = analysis.broken
        for entry in analysis.index.entries(.menu) where !broken.nodes[entry.node] {
            guard case .menu(let menu) = entry.step.kind else { continue }
            var dialPattern: Pattern?
            if let dbe = menu.dialByExtension {
                guard case .success(let p) = RegexPatterns.compile(dbe.pattern.value) else { continue }
                dialPattern = p
            }
            let beginsExtension = { (key: DTMFKey) in
                dialPattern?.canBeginMatch(String(key.character), alphabet: Pattern.dtmfKeys) ?? false
            }
            if menu.onInvalid == nil {
                let unhandled = DTMFKey.allCases.filter { menu.option(for: $0) == nil && !beginsExtension($0) }
                if !unhandled.isEmpty { out.append(.unhandledKeys(unhandled, menu: entry.step, in: analysis.flow)) }
            }
            guard let dialPattern, let dbe = menu.dialByExtension else { continue }
            for option in menu.options {
                let key = String(option.key.value.character)
                let longer = Pattern.dtmfKeys.contains { dialPattern.canBeginMatch(key + String($0), alphabet: Pattern.dtmfKeys) }
                if longer { out.append(.keyBeginsExtension(option, pattern: dbe.pattern, in: analysis.flow)) }
            }
        }
    }
}

fileprivate extension Diagnostic {
    static func unhandledKeys(_ keys: [DTMFKey], menu: Step, in flow: Flow) -> Diagnostic {
        let list = keys.map { String($0.character) }.joined(separator: " ")
        return Diagnostic(.W103, "keys \(list) do nothing in this menu and it has no 'on-invalid'",
                          file: flow.file, range: menu.keyRange,
                          help: "add on-invalid: {say: \"Sorry, that is not a valid choice.\"}")
    }

    static func keyBeginsExtension(_ option: Menu.Option, pattern: Located<String>, in flow: Flow) -> Diagnostic {
        let key = option.key.value.rawValue
        return Diagnostic(.W108, "key \(key) also begins a dial-by-extension number: callers who press \(key) wait for the inter-digit timeout before this option runs",
                          file: flow.file, range: option.key.range,
                          notes: [Note("extensions matching '\(pattern.value)' can start with \(key)", file: flow.file, range: pattern.range)],
                          help: "use a key no extension starts with, or narrow the pattern")
    }
}
