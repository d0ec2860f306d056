/// When calls use SRTP (`--srtp`, `SIPConfiguration.srtp`).
///
/// - `off`: RTP only. An `RTP/SAVP` offer gets 488; `a=crypto` on an
///   `RTP/AVP` offer is ignored (the answer is plain RTP).
/// - `optional` (the default): an offer with a usable `a=crypto` (on
///   `RTP/SAVP`, or best effort on `RTP/AVP`) is answered with SRTP, a
///   plain offer with RTP.
/// - `required`: an offer without a usable `a=crypto` gets `488 Not
///   Acceptable Here` with `Warning: 399 ivrc "SRTP required"`.
public enum SRTPPolicy: String, Sendable, CaseIterable {
    case off, optional, required
}
