/// User-Agent values of SIP scanners (SIPVicious and the like): a request
/// naming one is treated as coming from an unauthorised source.
enum ScannerUserAgents {
    static let markers = ["friendly-scanner", "sipvicious", "sipcli"]

    /// True when `userAgent` contains a marker (case-insensitive).
    static func isScanner(_ userAgent: String?) -> Bool {
        guard let agent = userAgent?.prefix(256).lowercased() else { return false }
        return markers.contains { agent.contains($0) }
    }
}
