import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The campaign's journal file: append-only JSON lines, each written whole
/// with one `write` and synced (`fsync`) before `append` returns, so a line
/// that says `dialling` is on disk before the INVITE goes. The file stays
/// locked (`flock`, exclusive) while the campaign runs: a second process on
/// the same journal is refused at `open`.
public final class CampaignJournal: Sendable {
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case cannotOpen(file: String, reason: String)
        case locked(file: String)
        case writeFailed(file: String, reason: String)

        public var description: String {
            switch self {
            case .cannotOpen(let file, let reason): "cannot open the journal \(file): \(reason)"
            case .locked(let file): "the journal \(file) is in use by another ivrc campaign (it is locked); one campaign per journal"
            case .writeFailed(let file, let reason): "cannot write the journal \(file): \(reason)"
            }
        }
    }

    public let file: String
    private let fd: Mutex<Int32>
    /// The lines already in the file when it was opened (a resumed campaign's history).
    public let existing: [JournalEntry]

    /// Opens (creating) and locks the journal, and reads what it holds. A
    /// last line torn by a crash is ignored, and the next line starts on a
    /// line of its own.
    public static func open(file: String) -> Result<CampaignJournal, Failure> {
        let descriptor = Glibc.open(file, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return .failure(.cannotOpen(file: file, reason: String(cString: strerror(errno)))) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let error = errno
            _ = Glibc.close(descriptor)
            return error == EWOULDBLOCK ? .failure(.locked(file: file)) : .failure(.cannotOpen(file: file, reason: String(cString: strerror(error))))
        }
        let data = FileManager.default.contents(atPath: file) ?? Data()
        let entries = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).compactMap(JournalEntry.parse)
        let journal = CampaignJournal(file: file, fd: descriptor, existing: entries)
        if let last = data.last, last != UInt8(ascii: "\n") {
            if case .failure(let f) = journal.write(Array("\n".utf8)) { return .failure(f) }
        }
        return .success(journal)
    }

    private init(file: String, fd: Int32, existing: [JournalEntry]) {
        self.file = file
        self.fd = Mutex(fd)
        self.existing = existing
    }

    deinit { close() }

    /// Appends one line and syncs it to disk.
    @discardableResult
    public func append(_ entry: JournalEntry) -> Result<Void, Failure> {
        write(Array((entry.jsonLine + "\n").utf8))
    }

    /// Appends several lines with one write and one sync (a campaign's
    /// first `queued` lines, the lines that close what a crash left open).
    @discardableResult
    public func append(contentsOf entries: [JournalEntry]) -> Result<Void, Failure> {
        guard !entries.isEmpty else { return .success(()) }
        return write(Array(entries.map { $0.jsonLine + "\n" }.joined().utf8))
    }

    private func write(_ bytes: [UInt8]) -> Result<Void, Failure> {
        fd.withLock { fd in
            guard fd >= 0 else { return .failure(.writeFailed(file: file, reason: "closed")) }
            var offset = 0
            while offset < bytes.count {
                let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
                if n < 0 {
                    if errno == EINTR { continue }
                    return .failure(.writeFailed(file: file, reason: String(cString: strerror(errno))))
                }
                offset += n
            }
            guard fsync(fd) == 0 else { return .failure(.writeFailed(file: file, reason: String(cString: strerror(errno)))) }
            return .success(())
        }
    }

    /// Unlocks and closes the file (also when the process ends, by the kernel).
    public func close() {
        fd.withLock { fd in
            guard fd >= 0 else { return }
            _ = flock(fd, LOCK_UN)
            _ = Glibc.close(fd)
            fd = -1
        }
    }
}
