import IVRSyntax

/// FreeSWITCH `ivr.conf.xml` (the `ivr` application's menus) as one flow:
/// each `<menu>` a `menu` node, the first one the start.
///
/// Semantics kept: `greet-long` / `greet-short` are `prompt` / `short-prompt`;
/// `invalid-sound` is `on-invalid`; `timeout` (default 10 s) and
/// `inter-digit-timeout` carry over; `max-failures` and `max-timeouts` (one
/// counter each in FreeSWITCH) become one `attempts`, the larger of the two;
/// a submenu (`menu-sub`) that runs out of attempts goes `back` to its
/// parent, the top menu plays `exit-sound` and hangs up.
struct FreeSWITCHImporter {
    let text: String

    /// One `<menu>` as read, with its node name.
    struct MenuSource {
        var element: XMLElementNode
        var name: String
        var node: String
    }

    func draft() throws(ImportError) -> FlowDraft {
        let root = try XMLElementTree.parse(text)
        let elements = root.name == "menu" ? [root] : root.descendants(named: "menu")
        guard !elements.isEmpty else {
            throw ImportError(line: root.line, column: 1,
                              "no <menu> element: expected an ivr.conf.xml (<configuration><menus><menu name=...>)")
        }
        var names = NodeNames()
        var menus: [MenuSource] = []
        for element in elements {
            guard let name = element.attributes["name"], !name.isEmpty else {
                throw ImportError(line: element.line, column: 1, "a <menu> needs a name attribute")
            }
            if menus.contains(where: { $0.name == name }) {
                throw ImportError(line: element.line, column: 1, "a second <menu> named '\(name)'")
            }
            menus.append(MenuSource(element: element, name: name, node: names.claim(name)))
        }
        let top = menus[0]
        var draft = FlowDraft(name: NodeNames.flowName(top.name, fallback: "freeswitch-ivr"))
        draft.description = "Imported from FreeSWITCH ivr.conf (menu \(top.name))"
        draft.header = ["Imported by `ivrc import freeswitch`: each <menu> is a menu node, the first one the start."]
        draft.voice = menus.lazy.compactMap { $0.element.attributes["tts-voice"] }.first { !$0.isEmpty }
        let byName = Dictionary(menus.map { ($0.name, $0.node) }, uniquingKeysWith: { a, _ in a })
        // Menus entered with menu-sub return to their parent when they end.
        var submenus: Set<String> = []
        for menu in menus {
            for entry in menu.element.children where entry.name == "entry" && entry.attributes["action"] == "menu-sub" {
                if let target = entry.attributes["param"], target != top.name { submenus.insert(target) }
            }
        }
        var context = Context(menus: byName, top: top.name, topNode: top.node, exitNode: "", names: names)
        // The end of the IVR: the top menu's exit-sound then a hangup, or just the hangup.
        let exitSound = top.element.attributes["exit-sound"].flatMap { $0.isEmpty ? nil : $0 }
        let exitNode = exitSound == nil ? "hangup" : context.names.claim("exit")
        context.exitNode = exitNode
        for menu in menus {
            let node = try FreeSWITCHMenuMapper(menu: menu, isTop: menu.name == top.name, isSub: submenus.contains(menu.name),
                                                flowVoice: draft.voice).map(context: &context, draft: &draft)
            draft.nodes.append(node)
        }
        if context.exitUsed, let exitSound {
            let steps = FreeSWITCHSounds(voice: nil).steps(exitSound, what: "exit-sound", line: top.element.line, into: &draft)
            draft.addNode(exitNode, .list(steps + [.scalar("hangup")]),
                          comments: ["The end of the IVR: \(top.name)'s exit-sound, then the call hangs up."])
        }
        draft.nodes.append(contentsOf: context.extraNodes)
        return draft
    }

    /// What every menu's mapping shares: the node names and the nodes made on the way.
    struct Context {
        var menus: [String: String]
        var top: String
        var topNode: String
        var exitNode: String
        var names: NodeNames
        var exitUsed = false
        var extraNodes: [YAMLEntry] = []
    }
}
