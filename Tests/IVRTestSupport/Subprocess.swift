import Foundation

/// What a finished program left: its exit status and its two streams
/// (`stderr` is empty when it was merged into `stdout`).
public struct ProcessRun: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Runs a program to its end, off the cooperative pool (`onOwnThread`).
/// `mergingErrors` sends its standard error into the same pipe as its
/// output, in the order written.
public func runProcess(_ path: String, _ arguments: [String], in folder: String? = nil,
                       environment: [String: String]? = nil, mergingErrors: Bool = false) async throws -> ProcessRun {
    try await onOwnThread {
        try runProcessBlocking(path, arguments, in: folder, environment: environment, mergingErrors: mergingErrors)
    }
}

/// The blocking form of `runProcess`, for code already on a thread of its own.
public func runProcessBlocking(_ path: String, _ arguments: [String], in folder: String? = nil,
                               environment: [String: String]? = nil, mergingErrors: Bool = false) throws -> ProcessRun {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    if let folder { process.currentDirectoryURL = URL(fileURLWithPath: folder) }
    if let environment { process.environment = environment }
    let out = Pipe()
    let err = mergingErrors ? out : Pipe()
    process.standardOutput = out
    process.standardError = err
    // Not `waitUntilExit`: on a thread other than the one that started the
    // child, it spins an empty run loop at full speed until the child ends.
    let ended = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in ended.signal() }
    try process.run()
    // Read both pipes while the program runs, so a chatty one cannot block it.
    nonisolated(unsafe) var errData = Data()
    let group = DispatchGroup()
    if !mergingErrors {
        group.enter()
        Thread {
            errData = readToEnd(err.fileHandleForReading)
            group.leave()
        }.start()
    }
    let outData = readToEnd(out.fileHandleForReading)
    group.wait()
    ended.wait()
    return ProcessRun(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
}

/// Everything a pipe holds until its writers close it. Not Foundation's
/// `readDataToEndOfFile`: it `try!`s its reads, and a signal arriving during
/// one (EINTR, as when another test's child ends) crashed the whole test run.
public func readToEnd(_ handle: FileHandle) -> Data {
    var data = Data()
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
        let n = buffer.withUnsafeMutableBytes { read(handle.fileDescriptor, $0.baseAddress, $0.count) }
        if n > 0 {
            data.append(contentsOf: buffer[0..<n])
        } else if n == 0 || errno != EINTR {
            return data
        }
    }
}

/// Ends a helper program (a test server) from synchronous code, such as a
/// `defer`. SIGKILL, not SIGTERM: the test runner may start children with
/// SIGTERM ignored. Foundation reaps the child when it ends; nothing waits
/// here (`waitUntilExit` spins, see `runProcessBlocking`).
public func stopProcess(_ process: Process) {
    guard process.isRunning else { return }
    kill(process.processIdentifier, SIGKILL)
}
