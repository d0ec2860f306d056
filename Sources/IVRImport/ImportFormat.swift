/// The platforms `ivrc import` reads, by the word the command line uses.
public enum ImportFormat: String, CaseIterable, Sendable {
    /// A FreeSWITCH `ivr.conf.xml` (mod_dptools `ivr` menus).
    case freeswitch
    /// A Twilio Studio flow definition (JSON).
    case studio
    /// An Amazon Connect contact flow in the flow language (JSON).
    case connect
}
