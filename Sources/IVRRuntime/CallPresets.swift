import IVRBytecode

/// What a call knows before its flow starts, besides caller and called:
/// the values of the flow's `inputs` (a campaign's contact row) and
/// `answered_by`. An inbound call has none of the inputs (each is an empty
/// string) and `answered_by` is `unknown`.
public struct CallPresets: Sendable, Equatable {
    /// Who answered an outbound call (flow-language.md 5.2).
    public enum AnsweredBy: String, Sendable, Equatable, CaseIterable {
        case human, machine, unknown
    }

    /// The built-in variable's name in flows.
    public static let answeredByName = "answered_by"

    /// Values by variable name; only the names the flow lists in `inputs` are used.
    public var inputs: [String: String]
    public var answeredBy: AnsweredBy

    public init(inputs: [String: String] = [:], answeredBy: AnsweredBy = .unknown) {
        self.inputs = inputs
        self.answeredBy = answeredBy
    }
}

extension VerifiedBundle {
    /// True when a flow of the bundle reads `answered_by` (it is in that
    /// flow's variable table only then): `ivrc call` listens for an
    /// answering machine before the flow starts only for such bundles, so
    /// other flows start the moment the callee answers.
    public var readsAnsweredBy: Bool {
        image.flows.contains { flow in flow.variables.contains { image.strings[$0.name] == CallPresets.answeredByName } }
    }
}
