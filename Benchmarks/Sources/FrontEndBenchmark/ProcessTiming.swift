import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Whole-process wall time, as a user or a pre-commit hook sees it: the
/// command is started with `posix_spawn` (output to /dev/null), waited for,
/// and the best of `repeats` runs is kept, after one warm-up run.
enum ProcessTiming {
    /// The best run in milliseconds, or nil when the command cannot start or fails.
    static func best(_ arguments: [String], repeats: Int) -> Double? {
        var best = Double.infinity
        for attempt in 0...repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            guard run(arguments) else { return nil }
            let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            if attempt > 0 { best = min(best, ms) }
        }
        return best
    }

    /// Runs the command to its end; true when it exits with status 0.
    static func run(_ arguments: [String]) -> Bool {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid = pid_t()
        guard posix_spawn(&pid, arguments[0], &actions, nil, argv, environ) == 0 else { return false }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return status == 0
    }
}
