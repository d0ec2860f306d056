import Foundation
import IVRSyntax

/// One FreeSWITCH `<menu>` and its `<entry>`s as a `menu` node.
struct FreeSWITCHMenuMapper {
    let menu: FreeSWITCHImporter.MenuSource
    let isTop: Bool
    let isSub: Bool
    let flowVoice: String?

    var attributes: [String: String] { menu.element.attributes }
    var line: Int { menu.element.line }
    var sounds: FreeSWITCHSounds {
        let voice = attributes["tts-voice"].flatMap { $0.isEmpty || $0 == flowVoice ? nil : $0 }
        return FreeSWITCHSounds(voice: voice)
    }

    static let ignored: Set<String> = ["name", "tts-engine", "tts-voice", "confirm-attempts"]
    static let unmapped: [String: String] = [
        "confirm-macro": "digit confirmation", "confirm-key": "digit confirmation",
        "pin": "a PIN before the menu", "pin-file": "a PIN before the menu", "bad-pin-file": "a PIN before the menu",
    ]

    func map(context: inout FreeSWITCHImporter.Context, draft: inout FlowDraft) throws(ImportError) -> YAMLEntry {
        var fields: [YAMLEntry] = []
        var comments = ["FreeSWITCH <menu name=\"\(menu.name)\"> (line \(line))."]
        for (key, text) in attributes.sorted(by: { $0.key < $1.key }) where !text.isEmpty {
            if let what = Self.unmapped[key] {
                draft.warn(line, "menu '\(menu.name)': \(key) (\(what)) has no ivrc equivalent and is left out")
            }
        }
        if let greet = attributes["greet-long"],
           let prompt = FreeSWITCHSounds.prompt(sounds.steps(greet, what: "greet-long", line: line, into: &draft)) {
            fields.append(YAMLEntry("prompt", prompt))
        }
        if let greet = attributes["greet-short"], greet != attributes["greet-long"],
           let prompt = FreeSWITCHSounds.prompt(sounds.steps(greet, what: "greet-short", line: line, into: &draft)) {
            fields.append(YAMLEntry("short-prompt", prompt))
        }

        var options: [YAMLEntry] = []
        var dialByExtension: YAMLValue?
        var seen: Set<String> = []
        var entries = FreeSWITCHEntryMapper(menu: menu, isTop: isTop, sounds: sounds)
        for entry in menu.element.children where entry.name == "entry" {
            let digits = entry.attributes["digits"] ?? ""
            guard let action = entry.attributes["action"], !action.isEmpty else {
                throw ImportError(line: entry.line, column: 1, "an <entry> needs an action attribute")
            }
            if digits.count > 2, digits.hasPrefix("/"), digits.hasSuffix("/") {
                let regex = String(digits.dropFirst().dropLast())
                if dialByExtension == nil, let dbe = try entries.dialByExtension(entry, regex: regex, action: action,
                                                                                 context: &context, draft: &draft) {
                    dialByExtension = dbe
                } else if dialByExtension != nil {
                    draft.warn(entry.line, "menu '\(menu.name)': a second regex entry '\(digits)'; "
                                   + "a menu has one dial-by-extension, so it is left out")
                }
                continue
            }
            guard let key = Self.key(digits) else {
                draft.warn(entry.line, "menu '\(menu.name)': digits '\(digits)' are not one key (0-9, *, #); "
                               + "menus take one key per option, so the entry is left out")
                continue
            }
            guard !seen.contains(key) else {
                draft.warn(entry.line, "menu '\(menu.name)': key '\(digits)' has an entry already; this one is left out")
                continue
            }
            seen.insert(key)
            let target = try entries.target(entry, action: action, context: &context, draft: &draft)
            options.append(YAMLEntry(key, target))
        }
        if options.isEmpty {
            draft.warn(line, "menu '\(menu.name)' has no single-key entry; ivrc menus need at least one option (E106)")
        }
        fields.append(YAMLEntry("options", .mapping(options.map { YAMLEntry($0.key, $0.value) }),
                                comments: []))
        if let dialByExtension { fields.append(YAMLEntry("dial-by-extension", dialByExtension)) }

        let timeout = Self.milliseconds(attributes["timeout"]).flatMap { $0 > 0 ? $0 : nil } ?? 10_000
        fields.append(YAMLEntry("timeout", ImportDurations.text(milliseconds: timeout, DurationLimits.keyTimeout,
                                                                field: "timeout", line: line, into: &draft)))
        if let inter = Self.milliseconds(attributes["inter-digit-timeout"]), inter > 0 {
            fields.append(YAMLEntry("inter-digit-timeout", ImportDurations.text(
                milliseconds: inter, DurationLimits.interDigitTimeout, field: "inter-digit-timeout", line: line, into: &draft)))
        }
        let failures = Self.milliseconds(attributes["max-failures"]).flatMap { $0 > 0 ? $0 : nil } ?? 3
        let timeouts = Self.milliseconds(attributes["max-timeouts"]).flatMap { $0 > 0 ? $0 : nil } ?? 3
        var attempts = max(failures, timeouts)
        if attempts > 10 {
            draft.warn(line, "menu '\(menu.name)': \(attempts) tries is more than ivrc's 10 attempts; written as 10")
            attempts = 10
        }
        if failures != timeouts {
            comments.append("max-failures \(failures) and max-timeouts \(timeouts): one attempts counter for both here.")
            draft.warn(line, "menu '\(menu.name)': max-failures \(failures) and max-timeouts \(timeouts) are separate "
                           + "counters in FreeSWITCH; ivrc counts both in attempts: \(attempts)")
        }
        fields.append(YAMLEntry("attempts", .plain("\(attempts)")))
        if let invalid = attributes["invalid-sound"],
           let handler = FreeSWITCHSounds.prompt(sounds.steps(invalid, what: "invalid-sound", line: line, into: &draft)) {
            fields.append(YAMLEntry("on-invalid", handler))
        }
        fields.append(YAMLEntry("on-exhausted", try exhausted(context: &context, draft: &draft, entries: &entries)))
        return YAMLEntry(menu.node, .step("menu", .mapping(fields)), comments: comments)
    }

    /// Where the menu goes when its attempts are used up: exec-on-max-failures
    /// (or -timeouts), else back to the parent for a submenu, else the exit.
    func exhausted(context: inout FreeSWITCHImporter.Context, draft: inout FlowDraft,
                   entries: inout FreeSWITCHEntryMapper) throws(ImportError) -> YAMLValue {
        let onFailures = attributes["exec-on-max-failures"].flatMap { $0.isEmpty ? nil : $0 }
        let onTimeouts = attributes["exec-on-max-timeouts"].flatMap { $0.isEmpty ? nil : $0 }
        if let app = onFailures ?? onTimeouts {
            if let onFailures, let onTimeouts, onFailures != onTimeouts {
                draft.warn(line, "menu '\(menu.name)': exec-on-max-failures and exec-on-max-timeouts differ; "
                               + "ivrc has one on-exhausted, the first is kept")
            }
            return try entries.application(app, line: line, key: "exhausted", context: &context, draft: &draft)
        }
        if isSub && !isTop { return .scalar("back") }
        context.exitUsed = true
        return .scalar(context.exitNode)
    }

    /// `1` -> `"1"`; `*`, `#` as they are; anything else is not one key.
    static func key(_ digits: String) -> String? {
        digits.count == 1 && "0123456789*#".contains(digits) ? digits : nil
    }

    /// A whole number attribute, as FreeSWITCH reads it (leading digits).
    static func milliseconds(_ text: String?) -> Int? {
        guard let text else { return nil }
        let digits = text.trimmingCharacters(in: .whitespaces).prefix { $0.isASCIIDigit }
        return digits.isEmpty ? nil : Int(digits.prefix(9))
    }
}
