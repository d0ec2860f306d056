import CEpoll
import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// The sockets of one event loop that may have datagrams waiting, asked
/// without blocking (`epoll` with a zero timeout): the loop's `MediaClock`
/// asks once a tick and reads only the sockets that have data.
///
/// Level-triggered: a socket with more than one datagram waiting is
/// reported again next time, so a socket is read once per ask however
/// much it was sent (a flood fills its own kernel buffer and is dropped
/// there, bounded); twice or more only when more sockets are ready than
/// one batch of events holds (`forEachReady`).
///
/// Concurrency: used only on its owner's event loop, which is what makes
/// the `@unchecked Sendable` sound.
final class ReadinessSet: @unchecked Sendable {
    private let poller: CInt
    private var events: [epoll_event]

    /// Throws when the kernel cannot make an epoll instance (out of descriptors).
    init(capacity: Int = 1_024) throws {
        poller = epoll_create1(CInt(EPOLL_CLOEXEC))
        guard poller >= 0 else { throw IOError(errnoCode: errno, reason: "epoll_create1") }
        events = Array(repeating: epoll_event(), count: capacity)
    }

    deinit { closeDescriptor(poller) }

    /// Watches `descriptor` for datagrams; throws the kernel's refusal
    /// (out of memory, or `max_user_watches` reached).
    func add(_ descriptor: CInt) throws {
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.fd = descriptor
        guard epoll_ctl(poller, EPOLL_CTL_ADD, descriptor, &event) == 0 else {
            throw IOError(errnoCode: errno, reason: "epoll_ctl")
        }
    }

    /// Stops watching `descriptor` (before it is closed).
    func remove(_ descriptor: CInt) {
        var event = epoll_event()
        _ = epoll_ctl(poller, EPOLL_CTL_DEL, descriptor, &event)
    }

    /// Calls `body` with each descriptor that has a datagram (or an error)
    /// waiting now, without blocking. A full batch asks again (up to
    /// `maxBatches` times), so a loop with more ready sockets than one
    /// batch holds still reads them all in one call.
    func forEachReady(_ body: (CInt) -> Void) {
        for _ in 0..<Self.maxBatches {
            let count = events.withUnsafeMutableBufferPointer { epoll_wait(poller, $0.baseAddress, CInt($0.count), 0) }
            guard count > 0 else { return }
            for i in 0..<Int(count) { body(events[i].data.fd) }
            if Int(count) < events.count { return }
        }
    }

    static let maxBatches = 8
}
