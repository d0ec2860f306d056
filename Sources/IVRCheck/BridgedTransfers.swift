import IVRSyntax

/// E214, E215: how a transfer connects the caller, against what it asks
/// for (flow-language 5.3). A transfer's effective `via` is its own, else
/// the manifest's `sip.transfer`, else `refer`.
///
/// - E214: `ringback`, `whisper`, `confirm`, `confirm-timeout`, `record` or
///   `max-duration` on a transfer that is not bridged: its effective `via`
///   is `refer` (a REFER hands the call away; nothing of it stays for a
///   bridge to do), or it is an `ivr:` transfer, which continues in the
///   other flow and is never bridged (then `via: bridge` is E214 too; a
///   manifest default of `bridge` or `auto` does not apply to `ivr:`).
/// - E215: a `number` transfer that may be bridged (effective `bridge` or
///   `auto`) when the manifest has no `sip.trunk`: the bridge places the
///   call through the trunk, and there is none. Only the manifest is read.
enum BridgedTransfers: FlowCheck {
    static func run(_ analysis: FlowAnalysis, _ context: CheckContext, _ out: inout [Diagnostic]) {
        let manifest = context.project.manifest
        let manifestVia = manifest?.sip?.transfer
        for entry in analysis.index.entries(.transfer) {
            guard case .transfer(let t) = entry.step.kind else { continue }
            if t.destination.kind == .ivr {
                if let via = t.via, via.value != .refer {
                    out.append(.ivrBridged(t, range: via.range, what: "'via: bridge'", in: analysis.flow))
                }
                for key in t.bridgeOnlyKeys {
                    out.append(.ivrBridged(t, range: key.range, what: "'\(key.field)'", in: analysis.flow))
                }
                continue
            }
            let effective = t.via?.value ?? manifestVia?.value ?? .refer
            if effective == .refer {
                for key in t.bridgeOnlyKeys {
                    out.append(.bridgeOptionOnRefer(key.field, at: key.range, via: t.via, manifestVia: manifestVia,
                                                    manifest: manifest, in: analysis.flow))
                }
            } else if t.destination.kind == .number, manifest?.sip?.trunk == nil {
                out.append(.bridgeWithoutTrunk(t, effective: effective, manifest: manifest, in: analysis.flow))
            }
        }
    }
}

fileprivate extension Diagnostic {
    static func bridgeOptionOnRefer(_ field: String, at range: SourceRange, via: Located<Transfer.Via>?,
                                    manifestVia: Located<Transfer.Via>?, manifest: Manifest?, in flow: Flow) -> Diagnostic {
        var notes: [Note] = []
        let why: String
        if let via {
            why = "its 'via' is refer"
            notes.append(Note("connected by REFER here", file: flow.file, range: via.range))
        } else if let manifestVia, let manifest {
            why = "the manifest's sip.transfer is refer"
            notes.append(Note("the project's default", file: manifest.file, range: manifestVia.range))
        } else {
            why = "transfers connect by REFER unless told otherwise"
        }
        return Diagnostic(
            .E214, "'\(field)' needs a bridged transfer, and this one connects by REFER (\(why))",
            file: flow.file, range: range, notes: notes,
            help: via == nil
                ? "add 'via: bridge' to the transfer (or set 'transfer: bridge' under 'sip:' in ivr-project.yaml), or remove '\(field)'"
                : "write 'via: bridge', or remove '\(field)'")
    }

    static func ivrBridged(_ t: Transfer, range: SourceRange, what: String, in flow: Flow) -> Diagnostic {
        Diagnostic(
            .E214, "\(what) on an ivr: transfer: the call continues in flow '\(t.destination.value.value.raw)' and is never bridged",
            file: flow.file, range: range,
            help: "remove it; to bridge the caller to a person, transfer to their number, extension or SIP address")
    }

    static func bridgeWithoutTrunk(_ t: Transfer, effective: Transfer.Via, manifest: Manifest?, in flow: Flow) -> Diagnostic {
        let how = t.via != nil ? "'via: bridge'" : "the manifest's 'sip.transfer: \(effective.rawValue)'"
        let notes = [Note(manifest.map { "\($0.file) has no 'sip.trunk'" } ?? "the project has no manifest (ivr-project.yaml)")]
        return Diagnostic(
            .E215, "number '\(t.destination.value.value.raw)' is bridged (\(how)), and the project has no SIP trunk to call it through",
            file: flow.file, range: t.via?.range ?? t.destination.value.range, notes: notes,
            help: "add 'trunk: HOST' under 'sip:' in ivr-project.yaml (the bridge places numbers through it), or connect with 'via: refer'")
    }
}
