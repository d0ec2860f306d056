#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The terminal in non-canonical mode without echo, so each key reaches
/// `ivrc run` at once and unseen (like a phone keypad). Ctrl-C arrives as a
/// byte (no signal) and means "the caller hangs up". `restore()` puts the
/// saved settings back; call it on every way out.
public final class RawTerminal: @unchecked Sendable {
    // NOTE: @unchecked: `saved` is written once in init and read by restore(),
    // which is idempotent; termios calls themselves are thread-safe.
    private let fd: Int32
    private var saved: termios?

    /// Switches `fd` to raw input when it is a terminal; otherwise does nothing.
    public init(fd: Int32 = STDIN_FILENO) {
        self.fd = fd
        guard isatty(fd) == 1 else { return }
        var settings = termios()
        guard tcgetattr(fd, &settings) == 0 else { return }
        saved = settings
        var raw = settings
        // Input: byte by byte (ICANON off), no echo, Ctrl-C/Ctrl-\ as bytes (ISIG off),
        // CR not turned into NL. Output processing (NL -> CR NL) stays on.
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG | IEXTEN)
        raw.c_iflag &= ~tcflag_t(ICRNL | IXON)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        tcsetattr(fd, TCSANOW, &raw)
    }

    /// Whether input is a terminal in raw mode.
    public var isRaw: Bool { saved != nil }

    /// Puts the terminal back as it was.
    public func restore() {
        guard var settings = saved else { return }
        tcsetattr(fd, TCSANOW, &settings)
    }

    deinit { restore() }
}
