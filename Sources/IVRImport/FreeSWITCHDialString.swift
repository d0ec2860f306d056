/// FreeSWITCH `transfer` and `bridge` arguments as ivrc destinations.
enum FreeSWITCHDialString {
    /// What a destination became: a typed `transfer:` mapping, or why not.
    enum Mapped {
        case destination(YAMLValue)
        /// The number keyed into a regex entry (`$1`): dial-by-extension.
        case keyedExtension
        case unmapped(String)
    }

    /// `transfer DEST [dialplan [context]]`.
    static func transfer(_ args: String) -> Mapped {
        // `transfer -bleg 1000 XML default`: the leg flag is not the destination.
        guard let dest = args.split(separator: " ").first(where: { !$0.hasPrefix("-") }).map(String.init) else {
            return .unmapped("transfer has no destination")
        }
        return extensionOrNumber(dest)
    }

    /// A dialplan extension: digits -> extension, +digits -> number, `$1` -> the keyed number.
    static func extensionOrNumber(_ dest: String) -> Mapped {
        if dest == "$1" { return .keyedExtension }
        if dest.hasPrefix("+"), dest.count >= 9, dest.dropFirst().allSatisfy(\.isASCIIDigit) {
            return .destination(.map([("number", .quoted(dest))]))
        }
        if !dest.isEmpty, dest.allSatisfy(\.isASCIIDigit) {
            return .destination(.map([("extension", .quoted(dest))]))
        }
        if dest.contains("$") { return .unmapped("the destination '\(dest)' is a FreeSWITCH variable") }
        return .unmapped("the dialplan extension '\(dest)' is not a number")
    }

    /// `bridge DIALSTRING`: the first leg of `sofia/gateway/GW/NUMBER`,
    /// `sofia/PROFILE/USER@HOST`, `user/USER@DOMAIN`, `loopback/EXT`.
    static func bridge(_ args: String) -> Mapped {
        var leg = String(args.split(whereSeparator: { $0 == "," || $0 == "|" }).first ?? "")
        // Channel variables: {a=b}sofia/... and [a=b]sofia/...
        while let open = leg.first, open == "{" || open == "[", let close = leg.firstIndex(of: open == "{" ? "}" : "]") {
            leg = String(leg[leg.index(after: close)...])
        }
        let parts = leg.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2 else { return .unmapped("the dial string '\(args)' is not ENDPOINT/ADDRESS") }
        switch parts[0] {
        case "sofia" where parts.count >= 4 && parts[1] == "gateway":
            let number = parts[3].split(separator: "@").first.map(String.init) ?? parts[3]
            if number.hasPrefix("+") { return extensionOrNumber(number) }
            if number.count >= 8, number.allSatisfy(\.isASCIIDigit) {
                return .destination(.map([("number", .quoted("+" + number))]))
            }
            return .unmapped("the gateway number '\(number)' is not E.164")
        case "sofia" where parts.count >= 3:
            let address = parts[2...].joined(separator: "/")
            let pieces = address.split(separator: "@", maxSplits: 1).map(String.init)
            if pieces.count == 2, !pieces[1].contains("$"), !pieces[0].contains("$") {
                return .destination(.map([("sip", .quoted("sip:" + address))]))
            }
            return extensionOrNumber(pieces[0])
        case "user", "loopback":
            let user = parts[1].split(separator: "@").first.map(String.init) ?? parts[1]
            return extensionOrNumber(user)
        case "error":
            return .unmapped("the dial string '\(args)' always fails")
        default:
            return .unmapped("the endpoint '\(parts[0])' has no ivrc equivalent")
        }
    }
}
