import IVRSyntax

/// Every check `ivrc check` runs, with what it reads, what else it needs,
/// its cost class and the codes it raises: the one place a check is
/// registered. Adding a check is one line here (and its file); adding a
/// code is its case, title and summary in `DiagnosticCode` and the line of
/// the check that raises it here. `CheckRegistryTests` fails when a code
/// is declared by no check (nor by the parser or the loader), or when a
/// check raises a code it does not declare.
///
/// The order is the order of the output before sorting: the project checks,
/// then each flow's checks (index and graph ones interleaved, as listed),
/// then the checks across flows. When and on which core each check runs is
/// `CheckScheduler`'s business; nothing here depends on it.
enum CheckRegistry {
    static let checks: [RegisteredCheck] = [
        .project(DuplicateFlows.self, raises: [.E211]),
        .project(OutboundProxySyntax.self, raises: [.E006]),
        .project(SIPTrunkSettingsSyntax.self, raises: [.E006, .E202]),

        .index(TargetResolution.self, raises: [.E201]),
        .index(FlowReferences.self, raises: [.E202]),
        .index(DeadSteps.self, raises: [.W208]),
        .index(AudioFiles.self, raises: [.E204, .W205, .E213]),
        .index(HoursTimezones.self, raises: [.E405]),
        .index(PlainHTTP.self, raises: [.W502]),
        .index(DestinationSyntax.self, raises: [.E206]),
        .index(KeyCoverage.self, cost: .heavy, raises: [.W103, .W108]),
        .index(PromptMentions.self, cost: .heavy, raises: [.W104, .W105]),
        .index(CaptureFeasibility.self, raises: [.E107]),
        .index(RegexPatterns.self, cost: .heavy, raises: [.E406]),
        .index(ExpressionChecks.self, raises: [.E401, .E403, .E404, .E406]),
        .graph(UnreachableNodes.self, raises: [.W207]),
        .index(ImplicitHangup.self, raises: [.W304]),
        .graph(BackTargets.self, needs: .callersFromOtherFlows, raises: [.E212]),
        .index(DirectoryDestinations.self, raises: [.E203]),
        .index(BridgedTransfers.self, raises: [.E214, .E215]),
        .graph(InfiniteLoops.self, needs: .spinningLoops, raises: [.E301]),
        .graph(TrappedCalls.self, needs: .spinningLoops, raises: [.E302]),
        .graph(SilentCaller.self, raises: [.E303]),
        .graph(DefiniteAssignment.self, raises: [.E209]),
        .graph(TollFraud.self, raises: [.E501]),
        .graph(SensitiveValues.self, raises: [.E503]),

        .acrossFlows(SilentCallerAcrossFlows.self, raises: [.E301, .E303]),
    ]
}

/// One entry of `CheckRegistry`: a check and what the scheduler needs to know about it.
struct RegisteredCheck: Sendable {
    /// What the check reads (its protocol), which decides when it can run.
    enum Kind: Sendable {
        /// The project as a whole, before any flow is analysed.
        case project(any ProjectCheck.Type)
        /// One flow's index and broken nodes (`FlowAnalysis`), with the check's cost class.
        case index(any FlowCheck.Type, Cost)
        /// One flow's control-flow graph (`GraphAnalysis`).
        case graph(any GraphCheck.Type)
        /// Every checked flow's graph, after the flows' own checks.
        case acrossFlows(any CrossFlowCheck.Type)
    }

    /// How much work an index check is, beside the building of its flow's
    /// graph (which it does not need): light ones run meanwhile, heavy ones
    /// beside the graph checks, so that both rounds keep the cores busy.
    enum Cost: Sendable {
        case light, heavy
    }

    /// What a check reads beyond what its kind gives it.
    struct Needs: OptionSet, Sendable {
        let rawValue: Int
        /// `GraphAnalysis.spinningLoops`, found once per flow for all the checks that need them.
        static let spinningLoops = Needs(rawValue: 1 << 0)
        /// `CheckContext.enteredFromOtherFlows`, known once every flow is indexed.
        static let callersFromOtherFlows = Needs(rawValue: 1 << 1)
    }

    let kind: Kind
    let needs: Needs
    /// Every code the check may raise.
    let raises: Set<DiagnosticCode>

    /// The check's type name (`KeyCoverage`), for messages.
    var name: String {
        switch kind {
        case .project(let check): String(describing: check)
        case .index(let check, _): String(describing: check)
        case .graph(let check): String(describing: check)
        case .acrossFlows(let check): String(describing: check)
        }
    }

    static func project(_ check: any ProjectCheck.Type, raises: Set<DiagnosticCode>) -> RegisteredCheck {
        RegisteredCheck(kind: .project(check), needs: [], raises: raises)
    }

    static func index(_ check: any FlowCheck.Type, cost: Cost = .light, needs: Needs = [],
                      raises: Set<DiagnosticCode>) -> RegisteredCheck {
        RegisteredCheck(kind: .index(check, cost), needs: needs, raises: raises)
    }

    static func graph(_ check: any GraphCheck.Type, needs: Needs = [], raises: Set<DiagnosticCode>) -> RegisteredCheck {
        RegisteredCheck(kind: .graph(check), needs: needs, raises: raises)
    }

    static func acrossFlows(_ check: any CrossFlowCheck.Type, raises: Set<DiagnosticCode>) -> RegisteredCheck {
        RegisteredCheck(kind: .acrossFlows(check), needs: [], raises: raises)
    }
}
