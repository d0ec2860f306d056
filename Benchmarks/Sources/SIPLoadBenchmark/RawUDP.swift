import CDatagramBatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Plain BSD sockets on 127.0.0.1 for the generator (no NIO, so the
/// generator's own work is small and independent of the server's loops).
enum RawUDP {
    /// `SO_TIMESTAMPNS` / `SCM_TIMESTAMPNS` on Linux (asm-generic value; not
    /// imported by Swift because glibc defines it through another macro).
    static let timestampOption: Int32 = 35

    /// A bound socket and its port. `receiveBuffer` uses `SO_RCVBUFFORCE`
    /// when allowed (root), else `SO_RCVBUF` (capped by net.core.rmem_max).
    static func bind(receiveBuffer: Int32 = 0, timestamps: Bool = false, timeoutMilliseconds: Int = 200) -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        var addr = address(port: 0)
        _ = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        if receiveBuffer > 0 {
            var size = receiveBuffer
            if setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, socklen_t(MemoryLayout<Int32>.size)) != 0 {
                setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
            }
        }
        if timestamps {
            var on: Int32 = 1
            setsockopt(fd, SOL_SOCKET, timestampOption, &on, socklen_t(MemoryLayout<Int32>.size))
        }
        var tv = timeval(tv_sec: timeoutMilliseconds / 1000, tv_usec: (timeoutMilliseconds % 1000) * 1000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        return (fd, Int(UInt16(bigEndian: addr.sin_port)))
    }

    static func address(port: Int) -> sockaddr_in {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        return addr
    }

    static func send(_ bytes: [UInt8], fd: Int32, port: Int) {
        var addr = address(port: port)
        _ = bytes.withUnsafeBytes { buf in
            withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, buf.baseAddress, buf.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
    }

    static func send(_ text: String, fd: Int32, port: Int) { send(Array(text.utf8), fd: fd, port: port) }

    /// Monotonic nanoseconds.
    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
}

/// One received datagram: bytes read into the caller's buffer, its length,
/// the sender's port, and the kernel's receive time (CLOCK_REALTIME ns, 0
/// when the kernel gave none).
struct Received {
    var length: Int
    var fromPort: Int
    var kernelTime: Int64
}

extension RawUDP {
    /// `recvmsg` with the `SCM_TIMESTAMPNS` control message. On loopback the
    /// kernel stamps the packet when the sender's `sendmsg` queues it, so the
    /// stamp is the send time, whatever delays the receiving thread.
    static func receive(fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Received? {
        var from = sockaddr_in()
        var control = [UInt64](repeating: 0, count: 8)  // 64 bytes, 8-aligned
        var iov = iovec(iov_base: buffer.baseAddress, iov_len: buffer.count)
        return withUnsafeMutablePointer(to: &from) { fromPointer in
            withUnsafeMutablePointer(to: &iov) { iovPointer in
                control.withUnsafeMutableBytes { controlBytes -> Received? in
                    var message = msghdr()
                    message.msg_name = UnsafeMutableRawPointer(fromPointer)
                    message.msg_namelen = socklen_t(MemoryLayout<sockaddr_in>.size)
                    message.msg_iov = iovPointer
                    message.msg_iovlen = 1
                    message.msg_control = controlBytes.baseAddress
                    message.msg_controllen = controlBytes.count
                    let n = recvmsg(fd, &message, 0)
                    guard n >= 0 else { return nil }
                    // cmsghdr: len (8), level (4), type (4), then the timespec.
                    var stamp: Int64 = 0
                    if message.msg_controllen >= 32 {
                        let level = controlBytes.load(fromByteOffset: 8, as: Int32.self)
                        let type = controlBytes.load(fromByteOffset: 12, as: Int32.self)
                        if level == SOL_SOCKET, type == timestampOption {
                            let seconds = controlBytes.load(fromByteOffset: 16, as: Int64.self)
                            let nanoseconds = controlBytes.load(fromByteOffset: 24, as: Int64.self)
                            stamp = seconds * 1_000_000_000 + nanoseconds
                        }
                    }
                    return Received(length: n, fromPort: Int(UInt16(bigEndian: fromPointer.pointee.sin_port)), kernelTime: stamp)
                }
            }
        }
    }
}

/// Memory for `capacity` datagrams of up to `slotSize` bytes, for
/// `recvmmsg` / `sendmmsg`: the bytes, each one's address, iovec, header
/// and (when receiving) `controlSize` bytes of control messages.
final class BatchBuffers {
    let capacity, slotSize, controlSize: Int
    let data: UnsafeMutableRawBufferPointer
    let names: UnsafeMutablePointer<sockaddr_in>
    let controls: UnsafeMutableRawBufferPointer
    let vectors: UnsafeMutablePointer<iovec>
    let headers: UnsafeMutablePointer<datagram_batch_header>

    init(capacity: Int, slotSize: Int, controlSize: Int) {
        (self.capacity, self.slotSize, self.controlSize) = (capacity, slotSize, controlSize)
        data = .allocate(byteCount: capacity * slotSize, alignment: 8)
        names = .allocate(capacity: capacity)
        controls = .allocate(byteCount: max(1, capacity * controlSize), alignment: 8)
        vectors = .allocate(capacity: capacity)
        headers = .allocate(capacity: capacity)
    }

    deinit {
        data.deallocate()
        names.deallocate()
        controls.deallocate()
        vectors.deallocate()
        headers.deallocate()
    }

    /// The first `length` bytes of slot `k`.
    func slot(_ k: Int, length: Int) -> UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(rebasing: data[(k * slotSize)..<(k * slotSize + length)])
    }

    /// Header `k` over slot `k`'s first `length` bytes, its address and its control room.
    func prepare(_ k: Int, length: Int) {
        vectors[k] = iovec(iov_base: data.baseAddress! + k * slotSize, iov_len: length)
        var message = msghdr()
        message.msg_name = UnsafeMutableRawPointer(names + k)
        message.msg_namelen = socklen_t(MemoryLayout<sockaddr_in>.size)
        message.msg_iov = vectors + k
        message.msg_iovlen = 1
        if controlSize > 0 {
            message.msg_control = controls.baseAddress! + k * controlSize
            message.msg_controllen = controlSize
        }
        headers[k] = datagram_batch_header(msg_hdr: message, msg_len: 0)
    }
}

/// Reads datagrams in batches with `recvmmsg` (Linux): up to `capacity`
/// per call, each with its sender's port and the kernel's receive stamp,
/// without blocking. The receiver's thread wakes once a millisecond and
/// drains its sockets this way rather than waking for every datagram, so
/// the generator costs the cores it shares with the server little more
/// than the datagrams themselves.
final class DatagramBatch {
    let buffers = BatchBuffers(capacity: 64, slotSize: 2048, controlSize: 64)
    var capacity: Int { buffers.capacity }

    /// The bytes of datagram `k` of the last `receive`.
    func datagram(_ k: Int, length: Int) -> UnsafeMutableRawBufferPointer { buffers.slot(k, length: length) }

    /// Reads what `fd` holds now (at most `capacity` datagrams); empty when nothing.
    func receive(fd: Int32) -> [Received] {
        for k in 0..<capacity { buffers.prepare(k, length: buffers.slotSize) }
        let n = datagram_batch_receive(fd, buffers.headers, UInt32(capacity), Int32(MSG_DONTWAIT))
        guard n > 0 else { return [] }
        return (0..<Int(n)).map { k in
            let message = buffers.headers[k].msg_hdr
            let control = UnsafeRawBufferPointer(start: message.msg_control, count: buffers.controlSize)
            // cmsghdr: len (8), level (4), type (4), then the timespec.
            var stamp: Int64 = 0
            if message.msg_controllen >= 32, control.load(fromByteOffset: 8, as: Int32.self) == SOL_SOCKET,
               control.load(fromByteOffset: 12, as: Int32.self) == RawUDP.timestampOption {
                stamp = control.load(fromByteOffset: 16, as: Int64.self) * 1_000_000_000 + control.load(fromByteOffset: 24, as: Int64.self)
            }
            return Received(length: Int(buffers.headers[k].msg_len), fromPort: Int(UInt16(bigEndian: buffers.names[k].sin_port)),
                            kernelTime: stamp)
        }
    }
}
