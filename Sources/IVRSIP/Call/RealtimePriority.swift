import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// Real-time scheduling (`SCHED_RR`) for a node's event loops
/// (`serve --realtime-media`), as Asterisk's `-p` and FreeSWITCH's `-rp`:
/// a loop with a packet to relay or a frame due runs as soon as it is
/// woken, ahead of every ordinary process on the machine, instead of
/// waiting for the kernel to give it a turn.
///
/// Needs the right to raise priority: root, `CAP_SYS_NICE`, or a
/// `LimitRTPRIO`/`ulimit -r` of at least `priority`. Without it the loops
/// keep the ordinary policy and `raise` says why.
///
/// Every loop of the node gets the same priority, signalling's included:
/// round-robin among equals, so a media loop that is behind never keeps
/// SIP from being read, and the node can still answer 503 when it sheds.
/// The kernel keeps 5% of each second for ordinary processes
/// (`sched_rt_runtime_us`), so a loop that cannot keep up never locks the
/// machine.
public enum RealtimePriority {
    /// The default priority: above every ordinary process, below the
    /// kernel's own threaded interrupts (50).
    public static let defaultPriority: Int32 = 10

    /// Sets `SCHED_RR` at `priority` on the thread of each loop (on the
    /// loop). Nil when every loop took it, else the reason the first
    /// refused (`EPERM` without the right); the loops that took it keep it.
    public static func raise(_ loops: [EventLoop], priority: Int32 = defaultPriority) async -> String? {
        var refusal: String?
        for loop in loops {
            let code = (try? await loop.submit { setOnCurrentThread(priority: priority) }.get()) ?? EINVAL
            if code != 0, refusal == nil {
                refusal = code == EPERM
                    ? "not permitted (run as root, or grant CAP_SYS_NICE or an RTPRIO limit of \(priority))"
                    : String(cString: strerror(code))
            }
        }
        return refusal
    }

    /// The calling thread's scheduling policy and priority.
    static func currentThread() -> (policy: Int32, priority: Int32) {
        var policy: Int32 = 0
        var parameters = sched_param()
        _ = pthread_getschedparam(pthread_self(), &policy, &parameters)
        return (policy, parameters.sched_priority)
    }

    /// 0 or the `errno` of `pthread_setschedparam`.
    static func setOnCurrentThread(priority: Int32) -> Int32 {
        var parameters = sched_param()
        parameters.sched_priority = priority
        return pthread_setschedparam(pthread_self(), SCHED_RR, &parameters)
    }
}
