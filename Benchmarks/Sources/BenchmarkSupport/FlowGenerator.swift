/// Generates a large, valid flow: `menus` menus chained as a tree, each with
/// a prompt, four options, handlers and a capture every tenth menu.
public enum FlowGenerator {
    public static func flow(menus: Int) -> String {
        var out = """
            ivr: big
            extension: "900"
            defaults: {timeout: 5s, attempts: 3}
            nodes:

            """
        out.reserveCapacity(menus * 420)
        for i in 0..<menus {
            let child1 = i * 2 + 1, child2 = i * 2 + 2
            let one = child1 < menus ? "menu-\(child1)" : "done"
            let two = child2 < menus ? "menu-\(child2)" : "done"
            out += """
                  menu-\(i):
                    menu:
                      prompt:
                        - say: "Menu \(i). For billing press 1. For sales press 2. For your account press 3. For the operator press 0. To hear this again press star."
                      short-prompt: {say: "Press 1, 2, 3, star or 0."}
                      options:
                        "1": \(one)
                        "2": \(two)
                        "3": account-\(i)
                        "0": {transfer: {extension: "1\(String(format3(i)))"}}
                        star: repeat
                      timeout: 6s
                      on-invalid: {say: "Sorry, that is not an option."}
                      on-timeout: {say: "I did not hear anything."}
                      on-exhausted: done
                  account-\(i):
                    - capture:
                        prompt: {say: "Enter your account number, then press hash."}
                        into: account
                        min: 6
                        max: 10
                        on-exhausted: done
                    - say: "Thank you."
                    - transfer: {group: billing}

                """
        }
        out += """
              done:
                - say: "Goodbye."
                - hangup

            """
        return out
    }

    private static func format3(_ i: Int) -> String {
        let s = String(i % 1000)
        return String(repeating: "0", count: 3 - s.count) + s
    }
}
