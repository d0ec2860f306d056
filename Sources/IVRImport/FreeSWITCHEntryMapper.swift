import Foundation
import IVRSyntax

/// A FreeSWITCH menu `<entry>` as a menu option's target.
///
/// `menu-sub` goes to the submenu's node, `menu-back` is `back` (in the top
/// menu: the exit), `menu-top` is `top` (in the top menu: `repeat`),
/// `menu-exit` is the exit, `menu-play-sound` plays and repeats the menu,
/// and `menu-exec-app` maps the application: `transfer` and `bridge` to
/// typed destinations, `playback`/`speak` play and repeat, `hangup`,
/// `conference`, `voicemail`, `ivr`, `set`; any other application becomes
/// a marked node.
struct FreeSWITCHEntryMapper {
    let menu: FreeSWITCHImporter.MenuSource
    let isTop: Bool
    let sounds: FreeSWITCHSounds

    func target(_ entry: XMLElementNode, action: String, context: inout FreeSWITCHImporter.Context,
                draft: inout FlowDraft) throws(ImportError) -> YAMLValue {
        let param = entry.attributes["param"] ?? ""
        let digits = entry.attributes["digits"] ?? ""
        switch action {
        case "menu-sub":
            if param == menu.name { return .scalar("repeat") }
            guard let node = context.menus[param] else {
                throw ImportError(line: entry.line, column: 1, "menu-sub names no menu '\(param)' in this file")
            }
            return .scalar(node)
        case "menu-back":
            if isTop { context.exitUsed = true; return .scalar(context.exitNode) }
            return .scalar("back")
        case "menu-top":
            return .scalar(isTop ? "repeat" : "top")
        case "menu-exit":
            context.exitUsed = true
            return .scalar(context.exitNode)
        case "menu-play-sound":
            let steps = sounds.steps(param, what: "menu-play-sound", line: entry.line, into: &draft)
            return .list(steps + [.step("goto", .scalar("repeat"))])
        case "menu-exec-app":
            return try application(param, line: entry.line, key: digits, context: &context, draft: &draft)
        default:
            throw ImportError(line: entry.line, column: 1, "unknown entry action '\(action)' (menu-exec-app, menu-sub, "
                                  + "menu-top, menu-back, menu-exit or menu-play-sound)")
        }
    }

    /// `APP ARGS` run from an entry (or on exhaustion).
    func application(_ command: String, line: Int, key: String, context: inout FreeSWITCHImporter.Context,
                     draft: inout FlowDraft) throws(ImportError) -> YAMLValue {
        let trimmed = command.trimmingCharacters(in: .whitespaces)
        let app = String(trimmed.prefix { $0 != " " })
        let args = String(trimmed.dropFirst(app.count)).trimmingCharacters(in: .whitespaces)
        switch app {
        case "transfer", "bridge":
            let mapped = app == "transfer" ? FreeSWITCHDialString.transfer(args) : FreeSWITCHDialString.bridge(args)
            switch mapped {
            case .destination(let destination):
                guard case .mapping(var fields) = destination else { return .step("transfer", destination) }
                // A failed bridge returns to the menu in FreeSWITCH.
                if app == "bridge" { fields.append(YAMLEntry("on-fail", .scalar(menu.node))) }
                return .step("transfer", .mapping(fields))
            case .keyedExtension:
                return marked(command, line: line, key: key, why: "'$1' outside a regex entry", context: &context, draft: &draft)
            case .unmapped(let why):
                return marked(command, line: line, key: key, why: why, context: &context, draft: &draft)
            }
        case "playback":
            let steps = sounds.steps(args, what: "playback", line: line, into: &draft)
            return .list(steps + [.step("goto", .scalar("repeat"))])
        case "speak":
            // speak ENGINE|VOICE|TEXT
            let text = args.split(separator: "|", maxSplits: 2).last.map(String.init) ?? args
            return .list([.step("say", .scalar(text)), .step("goto", .scalar("repeat"))])
        case "hangup":
            return .scalar("hangup")
        case "conference":
            let room = String(args.prefix { $0 != "@" && $0 != "+" })
            guard !room.isEmpty, !room.contains("$") else {
                return marked(command, line: line, key: key, why: "the room is not a plain name", context: &context, draft: &draft)
            }
            return .step("transfer", .map([("conference", .quoted(room))]))
        case "voicemail":
            return .step("transfer", .map([("app", .scalar("voicemail"))]))
        case "ivr":
            guard let node = context.menus[args] else {
                return marked(command, line: line, key: key, why: "menu '\(args)' is not in this file", context: &context, draft: &draft)
            }
            return .scalar(node)
        case "set", "export":
            let pair = args.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, Self.isVariableName(pair[0]), !pair[1].contains("$") else {
                return marked(command, line: line, key: key, why: "'\(args)' is not NAME=VALUE", context: &context, draft: &draft)
            }
            return .list([.step("set", .map([(pair[0], .scalar(pair[1]))])), .step("goto", .scalar("repeat"))])
        default:
            return marked(command, line: line, key: key, why: "the application '\(app)' has no ivrc equivalent",
                          context: &context, draft: &draft)
        }
    }

    /// A regex entry: `transfer $1 ...` (or a bridge to `$1`) is dial-by-extension; anything else is left out.
    func dialByExtension(_ entry: XMLElementNode, regex: String, action: String, context: inout FreeSWITCHImporter.Context,
                         draft: inout FlowDraft) throws(ImportError) -> YAMLValue? {
        let param = entry.attributes["param"] ?? ""
        let app = param.split(separator: " ").first.map(String.init) ?? ""
        let args = String(param.dropFirst(app.count)).trimmingCharacters(in: .whitespaces)
        var keyed = false
        if action == "menu-exec-app", app == "transfer", case .keyedExtension = FreeSWITCHDialString.transfer(args) { keyed = true }
        if action == "menu-exec-app", app == "bridge", case .keyedExtension = FreeSWITCHDialString.bridge(args) { keyed = true }
        guard keyed else {
            draft.warn(entry.line, "menu '\(menu.name)': the regex entry '\(regex)' does not transfer to the keyed "
                           + "number ($1), so it is left out")
            return nil
        }
        var pattern = regex
        // "^(X)$" reads better as "^X$" when the group spans the whole pattern.
        if pattern.hasPrefix("^("), pattern.hasSuffix(")$"), !pattern.dropFirst(2).dropLast(2).contains("(") {
            pattern = "^" + pattern.dropFirst(2).dropLast(2) + "$"
        }
        var fields = [YAMLEntry("pattern", .quoted(pattern))]
        if let inter = FreeSWITCHMenuMapper.milliseconds(menu.element.attributes["inter-digit-timeout"]), inter > 0 {
            fields.append(YAMLEntry("inter-digit-timeout", ImportDurations.text(
                milliseconds: inter, DurationLimits.interDigitTimeout, field: "inter-digit-timeout", line: entry.line, into: &draft)))
        }
        if let context = args.split(separator: " ").dropFirst(2).first, context != "default" {
            draft.warn(entry.line, "menu '\(menu.name)': keyed extensions go to the dialplan context '\(context)' in "
                           + "FreeSWITCH; in ivrc they are transfers to the extension")
        }
        return .mapping(fields)
    }

    /// A node standing for what cannot be mapped: the source entry in a comment, a warning, and a hangup.
    func marked(_ command: String, line: Int, key: String, why: String, context: inout FreeSWITCHImporter.Context,
                draft: inout FlowDraft) -> YAMLValue {
        let app = command.split(separator: " ").first.map(String.init) ?? "app"
        let node = context.names.claim("\(menu.node)-\(key == "*" ? "star" : key == "#" ? "hash" : key)-\(app)")
        draft.warn(line, "menu '\(menu.name)': '\(command)' is not imported (\(why)); node '\(node)' marks it")
        context.extraNodes.append(YAMLEntry(node, .list([.scalar("hangup")]), comments: [
            "NOT IMPORTED: FreeSWITCH menu '\(menu.name)' (line \(line)) runs '\(command)'",
            "(\(why)). Replace this node with what it does.",
        ]))
        return .scalar(node)
    }

    static func isVariableName(_ s: String) -> Bool {
        guard let first = s.first, first.isLetter || first == "_" else { return false }
        return s.allSatisfy { ($0.isLetter && $0.isASCII) || $0.isASCIIDigit || $0 == "_" }
    }
}
