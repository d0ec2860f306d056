import CResolv
import Dispatch

/// DNS lookups through the C library's resolver (libresolv's res_nquery,
/// on a resolver state of its own per query): the servers of
/// /etc/resolv.conf, or one server given (`--dns-server`). res_nquery
/// blocks, so each query runs on a Dispatch queue, never on an event loop.
public struct ResolverLookup: DNSLookup {
    /// nil: the system resolver's servers.
    public var server: DNSServerAddress?
    /// Seconds each try waits for an answer; `tries` tries.
    public var timeout: Int
    public var tries: Int

    public init(server: DNSServerAddress?, timeout: Int = 2, tries: Int = 2) {
        self.server = server
        self.timeout = max(1, timeout)
        self.tries = max(1, tries)
    }

    static let queue = DispatchQueue(label: "ivrc.dns", attributes: .concurrent)
    /// The largest answer read (a TCP answer can be up to 65,535 bytes).
    static let answerSize = 65_535

    public func query(_ name: String, _ type: DNSRecordType) async throws(DNSLookupError) -> DNSAnswer {
        let result: Result<DNSAnswer, DNSLookupError> = await withCheckedContinuation { done in
            Self.queue.async { done.resume(returning: self.queryBlocking(name, type)) }
        }
        return try result.get()
    }

    /// Where the query went, for messages.
    var serverName: String { server.map { "the DNS server \($0)" } ?? "the system's DNS servers" }

    func queryBlocking(_ name: String, _ type: DNSRecordType) -> Result<DNSAnswer, DNSLookupError> {
        guard !name.isEmpty, name.utf8.count <= DNSMessage.maxNameLength, !name.utf8.contains(0) else {
            return .failure(DNSLookupError("'\(name.prefix(80))' is not a DNS name"))
        }
        var answer = [UInt8](repeating: 0, count: Self.answerSize)
        var hostError: Int32 = 0
        let length = answer.withUnsafeMutableBufferPointer { buffer in
            cresolv_query(name, Int32(type.rawValue), server?.host, Int32(server?.port ?? 0), Int32(timeout), Int32(tries),
                          buffer.baseAddress, Int32(buffer.count), &hostError)
        }
        guard length >= 0 else {
            switch hostError {
            case HOST_NOT_FOUND: return .success(.noSuchName)
            case NO_DATA: return .success(.noRecords)
            case TRY_AGAIN:
                return .failure(DNSLookupError("no answer from \(serverName) to \(type) \(name) within \(timeout * tries) s (or it failed)"))
            case NO_RECOVERY: return .failure(DNSLookupError("\(serverName) refused \(type) \(name)"))
            default: return .failure(DNSLookupError("cannot ask \(serverName) (no resolver configuration?)"))
            }
        }
        do {
            return .success(.message(try DNSMessage(parsing: Array(answer.prefix(Int(length))))))
        } catch {
            return .failure(DNSLookupError("the answer to \(type) \(name) from \(serverName) is not DNS: \(error)"))
        }
    }
}
