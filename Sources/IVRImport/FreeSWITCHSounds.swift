import Foundation

/// FreeSWITCH sound strings (`greet-long`, `invalid-sound`, `playback`
/// arguments, ...) as media steps.
struct FreeSWITCHSounds {
    /// The menu's `tts-voice`, for `say:` sounds when it differs from the flow's voice.
    var voice: String?

    /// `say:TEXT` -> say; a file -> play (the sounds folder variable
    /// dropped, `.wav` added when there is no extension); `phrase:NAME` ->
    /// play of `phrases/NAME.wav`; `file_string://a!b` -> each part;
    /// silence and tone streams are left out with a warning.
    func steps(_ sound: String, what: String, line: Int, into draft: inout FlowDraft) -> [YAMLValue] {
        var raw = sound.trimmingCharacters(in: .whitespaces)
        if raw.hasPrefix("file_string://") {
            raw.removeFirst("file_string://".count)
            return raw.split(separator: "!").flatMap { steps(String($0), what: what, line: line, into: &draft) }
        }
        if raw.isEmpty { return [] }
        if raw.hasPrefix("say:") {
            let text = String(raw.dropFirst(4)).trimmingCharacters(in: .whitespaces)
            if let voice { return [.step("say", .map([("text", .scalar(text)), ("voice", .scalar(voice))]))] }
            return [.step("say", .scalar(text))]
        }
        if raw.hasPrefix("phrase:") {
            let name = String(raw.dropFirst(7)).split(separator: ":").first.map(String.init) ?? ""
            let file = "phrases/" + NodeNames.normalize(name) + ".wav"
            draft.warn(line, "\(what) is the phrase macro '\(name)', which lives in FreeSWITCH's phrase files: "
                           + "record what it says to \(file)")
            return [.step("play", .scalar(file))]
        }
        if raw.hasPrefix("silence_stream://") || raw.hasPrefix("tone_stream://") {
            draft.warn(line, "\(what) '\(raw)' (a generated stream) has no ivrc equivalent and is left out")
            return []
        }
        var file = raw
        for prefix in ["$${sounds_dir}/", "${sounds_dir}/", "$${base_dir}/sounds/"] where file.hasPrefix(prefix) {
            file.removeFirst(prefix.count)
        }
        if file.contains("$") {
            draft.warn(line, "\(what) '\(raw)' uses a FreeSWITCH variable; set the file's path by hand")
        }
        let last = file.split(separator: "/").last ?? ""
        if !last.contains(".") { file += ".wav" }
        if !file.hasSuffix(".wav") && !file.hasSuffix(".pcm") {
            draft.warn(line, "\(what) '\(raw)' is not a WAV file; convert it to 8 kHz mono WAV "
                           + "(sox in -r 8000 -c 1 -b 16 out.wav)")
        }
        return [.step("play", .scalar(file))]
    }

    /// Several steps as a prompt: one step alone, else a list.
    static func prompt(_ steps: [YAMLValue]) -> YAMLValue? {
        switch steps.count {
        case 0: nil
        case 1: steps[0]
        default: .list(steps)
        }
    }
}
