import IVRSyntax

/// What every check sees: the project and an index of its flows.
public struct CheckContext: Sendable {
    public let project: Project
    /// Flows by name (the first of each name).
    public let flowsByName: [String: Flow]
    /// Flows that another flow of the project continues into (`transfer: {ivr: NAME}`):
    /// a call may arrive in them with menus already on its `back` stack. Known
    /// once every flow is indexed (the end of `CheckScheduler`'s first round):
    /// only the checks that run after it may read it, and a check that does
    /// says so in the registry (`RegisteredCheck.Needs.callersFromOtherFlows`).
    public internal(set) var enteredFromOtherFlows: Set<String> = []

    init(project: Project) {
        self.project = project
        var byName: [String: Flow] = [:]
        for flow in project.flows + project.contextFlows where byName[flow.name.value] == nil {
            byName[flow.name.value] = flow
        }
        self.flowsByName = byName
    }

    mutating func enter(_ indexes: [FlowIndex]) {
        var entered = Set<String>()
        for index in indexes {
            for entry in index.entries(.transfer) {
                guard case .transfer(let t) = entry.step.kind, t.destination.kind == .ivr,
                      t.destination.value.value.isConstant else { continue }
                let name = t.destination.value.value.raw
                if name != index.flow.name.value { entered.insert(name) }
            }
        }
        enteredFromOtherFlows = entered
    }
}
