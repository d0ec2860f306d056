import CSRTP
import CSRTPCrypto

/// The SRTP contexts of one call (RFC 3711, through libsrtp2): one that
/// protects every packet we send, keyed with our key, and one that
/// unprotects every packet we receive, keyed with the peer's. Protection
/// and unprotection work in place on the caller's buffer, bounded by its
/// size; nothing is allocated per packet.
///
/// A packet that does not unprotect is dropped by the caller and counted
/// here by why: a replay (a sequence number already seen, or too old for
/// the 128-packet window), a failed authentication (tampered, or keyed
/// with another key), or anything else (too short, an unknown SSRC layout).
///
/// Concurrency: not thread-safe. A `MediaSession` keeps it on its event
/// loop, like every other piece of its state.
public final class SRTPSession: CustomStringConvertible {
    /// Why a received packet was dropped.
    public enum Failure: Error, Sendable, Equatable {
        case replay, auth, other
    }

    /// Received packets dropped, by why.
    public struct Drops: Sendable, Equatable {
        public var replay = 0, auth = 0, other = 0
        public init(replay: Int = 0, auth: Int = 0, other: Int = 0) { (self.replay, self.auth, self.other) = (replay, auth, other) }
    }

    /// libsrtp2 could not be set up or keyed.
    public struct SetupError: Error, Sendable, CustomStringConvertible {
        public var status: Int32
        public var description: String { "libsrtp2 failed (status \(status))" }
    }

    public let suite: SRTPSuite
    public private(set) var dropped = Drops()
    /// Packets we could not protect (and so did not send).
    public private(set) var protectFailures = 0
    private let outbound: srtp_t
    private let inbound: srtp_t

    /// The bytes `protect` may add after the packet (tag and MKI: at most
    /// this, though our suites add 10 or 4).
    public static let maxTrailer = Int(csrtp_max_trailer_len())
    /// Longer packets are refused before libsrtp reads them.
    public static let maxPacket = 2_048
    /// The replay window, in packets.
    static let replayWindow: UInt = 128

    /// `srtp_init` once per process, then libsrtp2's AES-CM and HMAC-SHA1
    /// replaced by ones on OpenSSL's libcrypto (libsrtp2 self-tests them
    /// first; see `csrtp_crypto.h` for why); a `static let` is
    /// initialised once, thread-safely, on first use.
    static let initialised: Int32 = {
        let status = Int32(srtp_init().rawValue)
        guard status == 0 else { return status }
        return csrtp_use_openssl_crypto()
    }()

    public init(suite: SRTPSuite, sendKey: SRTPMasterKey, receiveKey: SRTPMasterKey) throws(SetupError) {
        guard Self.initialised == 0 else { throw SetupError(status: Self.initialised) }
        self.suite = suite
        let tag32: Int32 = suite == .aesCM128HMACSHA1_32 ? 1 : 0
        var out: srtp_t?
        var status = sendKey.bytes.withUnsafeBufferPointer { csrtp_create(&out, tag32, 0, $0.baseAddress, Self.replayWindow) }
        guard status == srtp_err_status_ok, let out else { throw SetupError(status: Int32(status.rawValue)) }
        var into: srtp_t?
        status = receiveKey.bytes.withUnsafeBufferPointer { csrtp_create(&into, tag32, 1, $0.baseAddress, Self.replayWindow) }
        guard status == srtp_err_status_ok, let into else {
            srtp_dealloc(out)
            throw SetupError(status: Int32(status.rawValue))
        }
        outbound = out
        inbound = into
    }

    deinit {
        srtp_dealloc(outbound)
        srtp_dealloc(inbound)
    }

    /// Protects the RTP packet in the first `length` bytes of `buffer` in
    /// place; returns the SRTP packet's length, or nil (counted) when the
    /// buffer has no room for the trailer or libsrtp refuses.
    public func protect(_ buffer: UnsafeMutableRawBufferPointer, length: Int) -> Int? {
        guard length >= 12, length <= Self.maxPacket, length + Self.maxTrailer <= buffer.count, let base = buffer.baseAddress else {
            protectFailures += 1
            return nil
        }
        var n = Int32(length)
        guard srtp_protect(outbound, base, &n) == srtp_err_status_ok else {
            protectFailures += 1
            return nil
        }
        return Int(n)
    }

    /// Unprotects the SRTP packet in the first `length` bytes of `buffer`
    /// in place: the RTP packet's length, or why it is dropped (counted).
    public func unprotect(_ buffer: UnsafeMutableRawBufferPointer, length: Int) -> Result<Int, Failure> {
        let failure: Failure
        if length < 12 || length > Self.maxPacket || length > buffer.count || buffer.baseAddress == nil {
            failure = .other
        } else {
            var n = Int32(length)
            let status = srtp_unprotect(inbound, buffer.baseAddress, &n)
            switch status {
            case srtp_err_status_ok: return .success(Int(n))
            case srtp_err_status_replay_fail, srtp_err_status_replay_old: failure = .replay
            case srtp_err_status_auth_fail: failure = .auth
            default: failure = .other
            }
        }
        switch failure {
        case .replay: dropped.replay += 1
        case .auth: dropped.auth += 1
        case .other: dropped.other += 1
        }
        return .failure(failure)
    }

    /// `protect` on a copy: the SRTP packet, or nil.
    public func protect(_ packet: [UInt8]) -> [UInt8]? {
        var bytes = packet + [UInt8](repeating: 0, count: Self.maxTrailer)
        let n = bytes.withUnsafeMutableBytes { protect($0, length: packet.count) }
        return n.map { Array(bytes.prefix($0)) }
    }

    /// `unprotect` on a copy: the RTP packet, or why it was dropped.
    public func unprotect(_ packet: [UInt8]) -> Result<[UInt8], Failure> {
        var bytes = packet
        return bytes.withUnsafeMutableBytes { unprotect($0, length: packet.count) }.map { Array(bytes.prefix($0)) }
    }

    /// The suite; never a key.
    public var description: String { "SRTP \(suite.rawValue)" }
}
