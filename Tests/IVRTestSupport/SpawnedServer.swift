import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A server program the tests start in the background (Kamailio,
/// dnsmasq) with posix_spawn, not Foundation's `Process`: such servers
/// close the descriptors they inherit, and `Process` takes the close of
/// its watch pipe for the child's exit and blocks its monitor thread in
/// `waitpid` until the server ends (every other `Process` of the test run
/// then waits too).
public enum SpawnedServer {
    public struct SpawnFailed: Error, CustomStringConvertible {
        public var program: String
        public var code: Int32
        public init(program: String, code: Int32) {
            self.program = program
            self.code = code
        }
        public var description: String { "cannot start \(program): \(String(cString: strerror(code)))" }
    }

    /// posix_spawnp with standard input from /dev/null, standard output and
    /// error into `log`, no blocked signals, SIGTERM and SIGINT at their
    /// defaults, in a new process group (so `kill(-pid, ...)` ends its children too).
    public static func spawn(_ arguments: [String], log: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGTERM)
        sigaddset(&defaults, SIGINT)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var pid: pid_t = 0
        let code = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, environ)
        guard code == 0 else { throw SpawnFailed(program: arguments[0], code: code) }
        return pid
    }
}
