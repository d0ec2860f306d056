import Foundation
import IVRTestSupport
import IVRLive
import IVRRuntime
import Logging
import Synchronization
import Testing
@testable import IVRSIP

/// `play: https://...` prompts: downloaded once per URL through the server's
/// HTTP client, decoded like files, and a prompt that cannot be played falls
/// back to its transcript. The download runs against Python's own
/// `http.server` serving a folder on loopback.
@Suite(.dedicatedExecutor) struct RemotePromptTests {
    /// `python3 -m http.server` on 127.0.0.1, any free port, serving `folder`.
    final class StaticServer: @unchecked Sendable {
        let process = Process()
        let port: Int

        init(folder: String) throws {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", folder]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            // "Serving HTTP on 127.0.0.1 port 40123 (http://127.0.0.1:40123/) ..."
            var text = ""
            while !text.contains("\n") {
                let chunk = out.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                text += String(decoding: chunk, as: UTF8.self)
            }
            guard let range = text.range(of: " port "),
                  let port = Int(text[range.upperBound...].prefix { $0.isNumber }) else {
                stopProcess(process)
                throw WAVFile.Problem("http.server did not start: \(text)")
            }
            self.port = port
        }

        /// Starts a server off the cooperative pool (Python takes a moment to start).
        static func start(folder: String) async throws -> StaticServer {
            try await onOwnThread { try StaticServer(folder: folder) }
        }

        func url(_ path: String) -> String { "http://127.0.0.1:\(port)/\(path)" }
        func stop() { stopProcess(process) }
    }

    static func folder() throws -> String {
        let folder = NSTemporaryDirectory() + "ivrc-remote-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func decodesWAVByHeaderAndPCMByPath() throws {
        let tone = Tone.sine(hz: 440, milliseconds: 100, amplitude: 3000)
        #expect(try PromptAudio.decode(downloaded: WAVFile.encode(tone), from: "https://cdn.example/x?v=2") == tone)
        // A 16 kHz WAV is resampled to 8 kHz, whatever the URL is called.
        let wide = WAVFile.encode(Tone.sine(hz: 440, milliseconds: 100), rate: 16000)
        #expect(try PromptAudio.decode(downloaded: wide, from: "https://cdn.example/x.pcm").count == 400)
        let raw = tone.flatMap { [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)] }
        #expect(try PromptAudio.decode(downloaded: raw, from: "https://cdn.example/a/b.PCM?x=1") == tone)
        #expect(throws: WAVFile.Problem.self) { try PromptAudio.decode(downloaded: Array("<html>".utf8), from: "https://cdn.example/a.wav") }
        #expect(throws: WAVFile.Problem.self) { try PromptAudio.decode(downloaded: Array("RIFFjunk".utf8), from: "https://cdn.example/a.wav") }
        #expect(PromptAudio.isURL("HTTPS://cdn.example/a.wav") && PromptAudio.isURL("http://x/a.wav"))
        #expect(!PromptAudio.isURL("audio/https.wav"))
    }

    @Test func callsStartingTogetherShareOneDownloadAndFailuresAreRetried() async throws {
        let prompts = PromptAudio(folders: [])
        let fetches = Atomic(0)
        let tone = Tone.sine(hz: 300, milliseconds: 200)
        let wav = WAVFile.encode(tone)
        let fetch: @Sendable (String) async throws -> [UInt8] = { _ in
            fetches.add(1, ordering: .relaxed)
            try await Task.sleep(for: .milliseconds(200))
            return wav
        }
        let results = try await withThrowingTaskGroup(of: [Int16].self) { group in
            for _ in 0..<20 { group.addTask { try await prompts.samples(forURL: "https://cdn.example/a.wav", fetch: fetch) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 20 && results.allSatisfy { $0 == tone })
        #expect(fetches.load(ordering: .relaxed) == 1)
        _ = try await prompts.samples(forURL: "https://cdn.example/a.wav", fetch: fetch) // cached
        #expect(fetches.load(ordering: .relaxed) == 1)

        let failing: @Sendable (String) async throws -> [UInt8] = { _ in
            fetches.add(1, ordering: .relaxed)
            throw WebhookFailure("HTTP 503")
        }
        await #expect(throws: WebhookFailure.self) { try await prompts.samples(forURL: "https://cdn.example/b.wav", fetch: failing) }
        await #expect(throws: WebhookFailure.self) { try await prompts.samples(forURL: "https://cdn.example/b.wav", fetch: failing) }
        #expect(fetches.load(ordering: .relaxed) == 3) // a failure is not cached
    }

    // No case here waits for the download timeout (a refused connection,
    // a 404 and a page that is not audio all answer at once): it is long so
    // that a loaded machine never turns the good download into a fallback.
    @Test(.enabled(if: TestTools.onPath("python3"), TestTools.missing("python3", package: "python3")), .timeLimit(.minutes(2)))
    func promptsAreDownloadedOverHTTPAndFallBackToTheirTranscript() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let tone = Tone.sine(hz: 440, milliseconds: 500, amplitude: 2000)
        try Data(WAVFile.encode(tone)).write(to: URL(fileURLWithPath: folder + "/welcome.wav"))
        try Data("not audio".utf8).write(to: URL(fileURLWithPath: folder + "/page.wav"))
        let server = try await StaticServer.start(folder: folder)
        defer { server.stop() }
        let http = HTTPWebhookClient()
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let services = CallServices(prompts: PromptAudio(folders: [folder]), tts: .none, recordingsFolder: folder,
                                    referTarget: ReferTarget(pbx: "pbx.example", trunk: nil), webhook: nil,
                                    download: { try await http.download(url: $0, timeout: 20_000) }, logger: logger)

        let played = await services.samples(.play(file: server.url("welcome.wav"), transcript: "Welcome"), callID: "c1")
        #expect(played == tone)
        #expect(try await http.download(url: server.url("welcome.wav")).count == 44 + 2 * tone.count)

        // Not found, not audio, nothing listening: the transcript is spoken
        // instead (the TTS-less engine's 300 ms tone), or nothing without one.
        let spoken = Tone.sine(hz: 440, milliseconds: 300)
        for url in [server.url("missing.wav"), server.url("page.wav"), "http://127.0.0.1:9/x.wav"] {
            #expect(await services.samples(.play(file: url, transcript: "Welcome"), callID: "c1") == spoken, "\(url)")
            #expect(await services.samples(.play(file: url, transcript: nil), callID: "c1").isEmpty, "\(url)")
        }
        // A missing local file falls back the same way.
        #expect(await services.samples(.play(file: "nowhere.wav", transcript: "Hello"), callID: "c1") == spoken)
        await #expect(throws: WebhookFailure.self) { try await http.download(url: server.url("missing.wav")) }
        await http.shutdown()
    }
}
