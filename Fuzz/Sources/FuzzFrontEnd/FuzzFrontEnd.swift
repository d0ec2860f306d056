import IVRCheck
import IVRSyntax

/// libFuzzer entry: any bytes as a flow file and as a manifest, through the
/// YAML reader, the flow builder and every check. A crash, hang or leak here
/// is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFrontEnd(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let parsed = FlowParser.parseFlow(bytes, file: "fuzz.yaml")
    var project = Project()
    project.diagnostics = parsed.diagnostics
    if let flow = parsed.flow { project.flows = [flow] }
    _ = Checker.check(project)
    _ = FlowParser.parseManifest(bytes, file: "ivr-project.yaml")
    return 0
}
