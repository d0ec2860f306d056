import Foundation
import IVRBytecode
import IVRRuntime

/// `ivrc disasm`, as a function: reads and verifies the bundle, prints its assembly.
public enum DisasmRunner {
    public static func run(path: String, currentDirectory: String = FileManager.default.currentDirectoryPath) -> (output: String, exitCode: Int32) {
        let abs = FilePaths.absolute(path, cwd: currentDirectory)
        guard let data = FileManager.default.contents(atPath: abs) else {
            return (CommandFailure.cannotRead(path) + "\n", CommandOutput.Code.ioError)
        }
        do {
            let bundle = try Bundle.load([UInt8](data))
            return (Disassembler.disassemble(bundle, sources: sources(of: bundle, near: abs, cwd: currentDirectory)),
                    CommandOutput.Code.success)
        } catch {
            return (CommandFailure.invalidBundle(path, error) + "\n", CommandOutput.Code.ioError)
        }
    }

    /// The flow files named in the debug section, looked up beside the bundle
    /// and in the working folder (and their parents); those not found are skipped.
    static func sources(of bundle: VerifiedBundle, near bundlePath: String, cwd: String) -> [String: [String]] {
        var found: [String: [String]] = [:]
        var folders: [String] = []
        for start in [(bundlePath as NSString).deletingLastPathComponent, cwd] {
            var folder = start
            for _ in 0..<4 {
                folders.append(folder)
                let parent = (folder as NSString).deletingLastPathComponent
                if parent == folder { break }
                folder = parent
            }
        }
        for flow in bundle.flows {
            guard let file = flow.debug?.file, !file.isEmpty, found[file] == nil else { continue }
            for folder in folders {
                if let data = FileManager.default.contents(atPath: (folder as NSString).appendingPathComponent(file)) {
                    found[file] = String(decoding: data, as: UTF8.self).components(separatedBy: "\n")
                    break
                }
            }
        }
        return found
    }
}
