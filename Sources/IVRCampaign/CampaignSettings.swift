import Foundation

/// How a campaign dials (the options of `ivrc campaign`).
public struct CampaignSettings: Sendable {
    /// `--rate`: calls started per second at most (default 1/s).
    public var rate = CallRate(perSecond: 1)
    /// `--max-concurrent`: calls in progress at most (default 10).
    public var maxConcurrent = 10
    /// `--attempts`: dials per contact at most (default 3).
    public var attempts = 3
    /// `--retry-after`: seconds between the end of a busy, no-answer or
    /// failed attempt and the next (default 10 minutes).
    public var retryAfter: TimeInterval = 600

    public init() {}
}
