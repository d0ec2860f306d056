import IVRRuntime
import Logging

extension CallServices {
    /// The audio of one prompt item: a file, a URL (downloaded once through
    /// `download`), or text spoken by the TTS engine. A `play` that cannot be
    /// played (a missing or unreadable file, a failed download) is logged and
    /// falls back to speaking its transcript, when it has one; else the
    /// prompt is silent and the call goes on. TTS cache hits and misses
    /// count in `metrics`.
    func samples(_ item: PromptItem, callID: String, metrics: IVRMetrics = .none) async -> [Int16] {
        switch item {
        case .play(let file, let transcript):
            do {
                if PromptAudio.isURL(file) {
                    guard let download else { throw WAVFile.Problem("cannot download '\(file)': no HTTP client") }
                    return try await prompts.samples(forURL: file, fetch: download)
                }
                return try prompts.samples(for: file)
            } catch {
                let fallback = transcript.map { $0.isEmpty ? "" : "; speaking its transcript instead" } ?? ""
                logger.warning("cannot play: \(error)\(fallback)", metadata: ["call-id": "\(callID)"])
                guard let transcript, !transcript.isEmpty else { return [] }
                return await tts.render(transcript, voice: nil, language: nil, logger: logger, metrics: metrics)
            }
        case .say(let text, let voice, let language):
            return await tts.render(text, voice: voice, language: language, logger: logger, metrics: metrics)
        }
    }
}
