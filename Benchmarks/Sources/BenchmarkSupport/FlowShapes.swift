/// The front end's benchmark shapes (issue 19), beside `FlowGenerator`'s
/// binary tree: a wide tree, an expression-heavy flow and a project of many
/// small flow files. Each text is a valid flow (the benchmark stops when
/// `ivrc check` reports an error).
public enum FlowShapes {
    /// Fan-out 9: each menu's options 1-9 lead to menus below it or to
    /// inline transfers with `on-fail`; every 4th leaf is a capture, then a
    /// branch on `open()` and `len()` with interpolated text.
    public static func wide(menus: Int) -> String {
        var out = """
            ivr: wide
            defaults: {timeout: 5s, attempts: 3}
            hours:
              office: {timezone: America/New_York, mon-fri: "08:00-17:00"}
            nodes:

            """
        out.reserveCapacity(menus * 1700)
        var leaf = 0
        for i in 0..<menus {
            out += """
                  menu-\(i):
                    menu:
                      prompt: {say: "Menu \(i). For a department press 1, press 2, press 3, press 4, press 5, press 6, press 7, press 8 or press 9. To hear this again press star."}
                      options:

                """
            for k in 1...9 {
                let child = i * 9 + k
                if child < menus {
                    out += "        \"\(k)\": menu-\(child)\n"
                } else if leaf % 4 == 3 {
                    out += "        \"\(k)\": leaf-\(leaf)\n"
                    leaf += 1
                } else {
                    out += "        \"\(k)\": {transfer: {extension: \"\(1000 + leaf % 9000)\", on-fail: done}}\n"
                    leaf += 1
                }
            }
            out += """
                        star: repeat
                      on-invalid: {say: "Sorry, that is not an option."}
                      on-exhausted: done

                """
        }
        for l in stride(from: 3, to: leaf, by: 4) {
            out += """
                  leaf-\(l):
                    - capture: {prompt: {say: "Enter your account number, then press hash."}, into: account, min: 4, max: 10, on-exhausted: done}
                    - branch:
                        - if: open("office") and len(account) >= 6
                          then: {transfer: {extension: "500", on-fail: done}}
                        - if: len(account) < 6
                          then: {say: "Account ${account} is too short."}
                        - else: {say: "We are closed, account ${account}."}
                    - goto: done

                """
        }
        out += """
              done:
                - say: "Goodbye."
                - hangup

            """
        return out
    }

    /// A chain of `nodes` nodes, each a capture, a `set` with interpolation
    /// and a branch of four conditions over functions and operators.
    public static func expressions(nodes: Int) -> String {
        var out = """
            ivr: exprs
            hours:
              office: {timezone: Europe/London, mon-fri: "09:00-17:30"}
            nodes:

            """
        out.reserveCapacity(nodes * 800)
        for i in 0..<nodes {
            let next = i + 1 < nodes ? "step-\(i + 1)" : "done"
            out += """
                  step-\(i):
                    - capture: {prompt: {say: "Step \(i): enter a code."}, into: code\(i), min: 1, max: 8, on-exhausted: done}
                    - set: {label\(i): "code ${code\(i)} at step \(i)"}
                    - branch:
                        - if: (len(code\(i)) > 4 and starts_with(code\(i), "9")) or num(code\(i)) == \(i)
                          then: \(next)
                        - if: matches(code\(i), "^[0-9]{2,3}$") and not open("office")
                          then: {say: "Short code ${label\(i)}."}
                        - if: code\(i) == "\(i % 100)" or len(label\(i)) >= 20
                          then: done
                        - else: \(next)
                    - goto: \(next)

                """
        }
        out += """
              done:
                - say: "Goodbye."
                - hangup

            """
        return out
    }

    /// One of a project's small flows (about 4 KB): a welcome, a menu of
    /// five options, a capture and a branch on business hours.
    public static func smallFlow(_ n: Int) -> String {
        var out = """
            ivr: flow-\(n)
            extension: "\(2000 + n)"
            defaults: {timeout: 6s, inter-digit-timeout: 3s, attempts: 3}
            hours:
              office: {timezone: America/Chicago, mon-fri: "08:00-12:00, 13:00-17:00", sat: "09:00-13:00", closed: ["2026-12-25"]}
            start: welcome
            nodes:
              welcome:
                - say: "Thank you for calling line \(n)."
                - branch:
                    - if: open("office")
                      then: main-menu
                    - else: after-hours
              main-menu:
                menu:
                  prompt:
                    - say: >-
                        For appointments, press 1. For billing, press 2. For your account balance, press 3.
                        For the front desk, press 0. To hear these options again, press star.
                  short-prompt: {say: "Press 1, 2, 3 or 0."}
                  options:
                    "1": appointments
                    "2": billing
                    "3": balance
                    "0": front-desk
                    star: repeat
                  on-invalid: {say: "Sorry, that is not one of the choices."}
                  on-timeout: {say: "Sorry, I did not hear a choice."}
                  on-exhausted: front-desk

            """
        for (name, ext) in [("appointments", 100), ("billing", 200), ("front-desk", 300)] {
            out += """
                  \(name):
                    - say: "Please hold while I connect you to \(name)."
                    - transfer: {extension: "\(ext + n % 100)", timeout: 25s, on-fail: take-message}

                """
        }
        out += """
              balance:
                - capture:
                    prompt: {say: "Enter your account number, then press hash."}
                    into: account
                    min: 6
                    max: 10
                    on-invalid: {say: "That number is not valid."}
                    on-exhausted: front-desk
                - branch:
                    - if: starts_with(account, "9") and len(account) == 10
                      then: {transfer: {extension: "400", on-fail: take-message}}
                    - else: {say: "Your balance for account ${account} is on its way by text message."}
                - hangup
              after-hours:
                - say: "We are closed. Our hours are eight to five on weekdays, and nine to one on Saturdays."
                - goto: take-message
              take-message:
                - say: "Please leave your name, number and a short message after the tone."
                - transfer: {app: voicemail}

            """
        while out.utf8.count < 3900 {
            out += "# Line \(n) notes: keep the prompts short, and test every option after a change.\n"
        }
        return out
    }

    /// A test file of two cases for `smallFlow(n)`.
    public static func smallFlowTests(_ n: Int) -> String {
        """
        flow: flow-\(n)
        at: "2026-11-23T10:00:00-06:00"
        cases:
          - name: appointments
            input: ["1"]
            expect: {outcome: transfer, destination: {extension: "\(100 + n % 100)"}}
          - name: after hours
            at: "2026-11-23T20:00:00-06:00"
            expect: {visited: [welcome, after-hours, take-message]}

        """
    }

    /// The manifest of the small-flow project.
    public static let manifest = """
        name: many-flows
        flows: flows/
        directory:
          extensions: ["100-399", "400", "2000-2999"]
          apps: [voicemail]

        """
}
