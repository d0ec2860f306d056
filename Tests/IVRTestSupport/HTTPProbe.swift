import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A bare HTTP/1.1 client over a blocking TCP socket (on a thread of its
/// own): sends bytes exactly as given, so tests can also send what no
/// HTTP library would (garbage, oversized requests), and reads until the
/// server closes the connection.
public enum HTTPProbe {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// A response: status, headers (names lower-cased) and body.
    public struct Response: Sendable {
        public var status: Int
        public var headers: [String: String]
        public var body: String
    }

    /// Sends `bytes` to HOST:PORT (IPv4) and returns every byte that came
    /// back before the server closed (or `timeout` seconds passed without data).
    public static func exchange(_ bytes: [UInt8], port: Int, host: String = "127.0.0.1", timeout: Int = 20) async throws -> [UInt8] {
        try await onOwnThread {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw Failure(description: "socket: \(errno)") }
            defer { close(fd) }
            var wait = timeval(tv_sec: timeout, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            inet_pton(AF_INET, host, &address.sin_addr)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else { throw Failure(description: "connect to \(host):\(port): errno \(errno)") }
            var offset = 0
            while offset < bytes.count {
                let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if n <= 0 { break }  // the server may close before reading everything
                offset += n
            }
            var received: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n <= 0 { break }
                received += chunk[..<n]
            }
            return received
        }
    }

    /// `METHOD PATH` with `Connection: close`, and the response parsed.
    public static func request(_ path: String, method: String = "GET", port: Int, body: String = "") async throws -> Response {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        if !body.isEmpty { text += "Content-Length: \(body.utf8.count)\r\n" }
        text += "\r\n" + body
        let raw = try await exchange(Array(text.utf8), port: port)
        guard let response = parse(raw) else {
            throw Failure(description: "not an HTTP response: \(String(decoding: raw.prefix(200), as: UTF8.self))")
        }
        return response
    }

    /// Parses one HTTP/1.1 response (a body of Content-Length bytes, or to the end).
    public static func parse(_ raw: [UInt8]) -> Response? {
        let text = String(decoding: raw, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { return nil }
        let lines = text[..<split.lowerBound].components(separatedBy: "\r\n")
        let statusLine = lines[0].split(separator: " ")
        guard statusLine.count >= 2, statusLine[0].hasPrefix("HTTP/1."), let status = Int(statusLine[1]) else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Response(status: status, headers: headers, body: String(text[split.upperBound...]))
    }
}
