import Foundation
import IVRSyntax

/// E204: a `play` file that does not exist; E213: a file that is not audio
/// at all; W205: audio that is not telephony-ready (see `AudioFormat`). Remote (`https://`) prompts are not
/// looked up.
///
/// A relative path is looked up, in order, in the manifest's `audio:` folder,
/// the project folder (the manifest's), and the flow file's folder.
enum AudioFiles: FlowCheck {
    static func run(_ analysis: FlowAnalysis, _ context: CheckContext, _ out: inout [Diagnostic]) {
        let flow = analysis.flow
        let folders = searchFolders(for: flow, in: context.project)
        for entry in analysis.index.entries(.play) {
            let step = entry.step
            guard case .play(let play) = step.kind, !play.isURL else { continue }
            let file = play.file.value
            guard let path = resolve(file, in: folders) else {
                out.append(.audioMissing(play.file, in: flow, searched: folders))
                continue
            }
            switch AudioFormat.problem(atPath: path) {
            case .notAudio(let what): out.append(.notAudio(play.file, what: what, in: flow))
            case .notReady(let problem): out.append(.audioNotReady(play.file, problem: problem, in: flow))
            case nil: break
            }
        }
    }

    static func searchFolders(for flow: Flow, in project: Project) -> [String] {
        var folders: [String] = []
        if let root = project.root {
            if let audio = project.manifest?.audio?.value {
                folders.append(audio.hasPrefix("/") ? audio : (root as NSString).appendingPathComponent(audio))
            }
            folders.append(root)
        }
        let flowFolder = (flow.file as NSString).deletingLastPathComponent
        folders.append(flowFolder.isEmpty ? "." : flowFolder)
        if let base = project.workingDirectory {
            folders = folders.map { $0.hasPrefix("/") ? $0 : (base as NSString).appendingPathComponent($0) }
        }
        var seen = Set<String>()
        return folders.filter { seen.insert(($0 as NSString).standardizingPath).inserted }
    }

    /// The first existing regular file for `file`, or nil.
    static func resolve(_ file: String, in folders: [String]) -> String? {
        let candidates = file.hasPrefix("/") ? [file] : folders.map { ($0 as NSString).appendingPathComponent(file) }
        var isDirectory: ObjCBool = false
        return candidates.first { FileManager.default.fileExists(atPath: $0, isDirectory: &isDirectory) && !isDirectory.boolValue }
    }
}

fileprivate extension Diagnostic {
    static func audioMissing(_ file: Located<String>, in flow: Flow, searched: [String]) -> Diagnostic {
        // Folders as a reader writes them: `/p/./audio` and `/p/x/../audio` read `/p/audio`.
        let folders = searched.map(PathTools.normalizeRelative)
        return Diagnostic(.E204, "audio file '\(file.value)' not found", file: flow.file, range: file.range,
                          notes: [Note("looked in: \(folders.joined(separator: ", "))")],
                          help: "check the path; relative paths are looked up in the manifest's audio folder, the project folder, then the flow's folder")
    }

    static func notAudio(_ file: Located<String>, what: String, in flow: Flow) -> Diagnostic {
        Diagnostic(.E213, "'\(file.value)' is not audio: \(what)", file: flow.file, range: file.range,
                   help: "play a WAV (8 kHz mono PCM16, u-law or A-law) or raw .pcm; convert a recording with"
                       + " sox in.mp3 -r 8000 -c 1 -b 16 -e signed-integer out.wav")
    }

    static func audioNotReady(_ file: Located<String>, problem: String, in flow: Flow) -> Diagnostic {
        Diagnostic(.W205, "audio '\(file.value)' is not telephony-ready: \(problem)", file: flow.file, range: file.range,
                   help: "convert it: sox in.wav -r 8000 -c 1 -b 16 -e signed-integer out.wav")
    }
}
