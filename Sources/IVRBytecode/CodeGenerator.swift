import IVRSyntax

/// Compiles checked flows to a `BundleImage`. Flows are compiled in name
/// order and every table in the order of the source, so the image (and the
/// bytes) depend only on the sources and on the file paths as given.
public enum CodeGenerator {
    public static func compile(_ flows: [Flow]) -> BundleImage {
        let sorted = flows.sorted { $0.name.value < $1.name.value }
        var flowIndex: [String: Int] = [:]
        for (i, f) in sorted.enumerated() where flowIndex[f.name.value] == nil { flowIndex[f.name.value] = i }
        var pool = StringPool()
        var images: [FlowImage] = []
        for flow in sorted {
            var compiler = FlowCompiler(flow: flow, flowIndex: flowIndex, pool: pool)
            images.append(compiler.compile())
            pool = compiler.pool
        }
        return BundleImage(strings: pool.strings, flows: images)
    }
}
