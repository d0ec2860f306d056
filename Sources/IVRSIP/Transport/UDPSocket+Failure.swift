import NIOCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension UDPSocket {
    /// An error the socket's channel reported, handed to the socket's owner.
    ///
    /// After ECONNREFUSED (a peer's ICMP "port unreachable" for an earlier
    /// send, reported on a later read) and ENOMEM the socket keeps reading,
    /// as NIO's datagram channel does, so one caller gone away never stops a
    /// SIP server; any other error closes it (NIO closes after any other read
    /// error, and the socket's handler closes after any other error at all).
    /// `isTransient` says which of the two happened.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let error: any Error
        /// The socket is still open and receiving.
        public let isTransient: Bool

        public init(_ error: any Error) {
            self.error = error
            let code = (error as? IOError)?.errnoCode
            isTransient = code == ECONNREFUSED || code == ENOMEM
        }

        public var description: String { "\(error)" }
    }
}
