/// `--rate N/s`: calls started per second (`N/m` per minute); N may have a fraction (`0.5/s`).
public struct CallRate: Sendable, Equatable, CustomStringConvertible {
    public var perSecond: Double

    public init(perSecond: Double) { self.perSecond = perSecond }

    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let n = Double(parts[0]), n.isFinite, n > 0, n <= 10_000 else { return nil }
        switch parts[1] {
        case "s": perSecond = n
        case "m", "min": perSecond = n / 60
        default: return nil
        }
    }

    /// Seconds between two call starts.
    public var interval: Double { 1 / perSecond }

    public var description: String {
        perSecond == perSecond.rounded() ? "\(Int(perSecond))/s" : "\(perSecond)/s"
    }
}
