import Foundation

/// A small project written to a temporary folder for build tests.
enum SampleProject {
    static let main = """
    ivr: acme-main
    extension: "800"
    language: en-US
    defaults:
      timeout: 5s
    hours:
      support:
        timezone: America/New_York
        mon-fri: "09:00-17:30"
        closed: ["2026-12-25"]
    nodes:
      welcome:
        - play: {file: audio/welcome.wav, transcript: "Welcome to Acme."}
        - goto: main-menu
      main-menu:
        menu:
          prompt:
            - say: "For sales press 1. For support press 2. For billing press 3."
          short-prompt: {say: "Press 1, 2 or 3."}
          options:
            "1": sales
            "2": account
            "3": {transfer: {ivr: billing}}
            star: repeat
            "#": hangup
          dial-by-extension:
            pattern: "^10[01][0-9]$"
          on-invalid: {say: "That is not a valid option."}
          on-exhausted: goodbye
      sales:
        transfer: {sip: "sip:sales@pbx.acme.example"}
      account:
        - capture:
            prompt: {say: "Enter your account number, then press hash."}
            into: account
            min: 6
            max: 10
            pattern: "^[0-9]{6,10}$"
            on-invalid: {say: "That number is not valid."}
            on-exhausted: goodbye
        - branch:
            - if: open("support") and starts_with(account, "9")
              then: {transfer: {group: support}}
            - else: {say: "Support is closed. Account ${account}."}
        - goto: goodbye
      goodbye:
        - say: "Goodbye."
        - hangup
    """

    static let billing = """
    ivr: billing
    nodes:
      start:
        menu:
          prompt: {say: "Billing. Press 1 to pay, 9 to go back."}
          options:
            "1": {transfer: {number: "+442071234567"}}
            "9": back
    """

    /// A silent 8 kHz mono 16-bit WAV (telephony-ready, so no W205).
    static var silentWAV: Data {
        var d = Data("RIFF".utf8)
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
        func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
        u32(36 + 160)
        d.append(contentsOf: Array("WAVEfmt ".utf8))
        u32(16); u16(1); u16(1); u32(8000); u32(16000); u16(2); u16(16)
        d.append(contentsOf: Array("data".utf8))
        u32(160)
        d.append(Data(count: 160))
        return d
    }

    /// Writes the project to a fresh temporary folder and returns its path.
    static func write(files: [String: String] = ["flows/main.yaml": main, "flows/billing.yaml": billing]) throws -> String {
        let root = FileManager.default.temporaryDirectory
            .appendingPathComponent("ivrc-bytecode-\(UUID().uuidString)").path
        for (path, text) in files {
            let url = URL(fileURLWithPath: root).appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let audio = URL(fileURLWithPath: root).appendingPathComponent("flows/audio")
        try FileManager.default.createDirectory(at: audio, withIntermediateDirectories: true)
        try silentWAV.write(to: audio.appendingPathComponent("welcome.wav"))
        return root
    }
}
