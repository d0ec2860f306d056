import Foundation

/// Text to speech through espeak-ng, when it is installed and there is an
/// audio device to hear it on; otherwise prompts are only printed.
public struct Speaker: Sendable {
    /// The espeak-ng program, nil when the speaker is silent.
    public let program: String?

    /// A silent speaker.
    public static let silent = Speaker(program: nil)

    init(program: String?) { self.program = program }

    /// Finds espeak-ng on `PATH` and checks for audio: an ALSA playback
    /// device, or a PulseAudio/PipeWire server.
    public static func detect(environment: [String: String] = ProcessInfo.processInfo.environment) -> Speaker {
        let fm = FileManager.default
        let path = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        guard let program = path.map({ "\($0)/espeak-ng" }).first(where: { fm.isExecutableFile(atPath: $0) }) else { return .silent }
        let alsa = ((try? fm.contentsOfDirectory(atPath: "/dev/snd")) ?? []).contains { $0.hasPrefix("pcm") && $0.hasSuffix("p") }
        let pulse = environment["PULSE_SERVER"] != nil
            || environment["XDG_RUNTIME_DIR"].map { fm.fileExists(atPath: $0 + "/pulse/native") } == true
        return alsa || pulse ? Speaker(program: program) : .silent
    }

    /// Starts speaking; the returned process ends when the text has been said
    /// (terminate it to stop early: barge-in). Nil when silent or on failure.
    public func start(_ text: String, language: String?) -> Process? {
        guard let program, !text.isEmpty else { return nil }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: program)
        // espeak-ng voices are lower-case language tags (en-us).
        p.arguments = (language.map { ["-v", $0.lowercased()] } ?? []) + ["--", text]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        do {
            try p.run()
            return p
        } catch {
            return nil
        }
    }
}
