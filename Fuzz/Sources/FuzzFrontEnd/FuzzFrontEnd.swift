import IVRCheck
import IVRSyntax

/// One input: any bytes as a flow file and as a manifest, through the YAML
/// reader, the flow builder and every check. A crash, hang or leak is a bug.
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let parsed = FlowParser.parseFlow(bytes, file: "fuzz.yaml")
    var project = Project()
    project.diagnostics = parsed.diagnostics
    if let flow = parsed.flow { project.flows = [flow] }
    _ = Checker.check(project)
    _ = FlowParser.parseManifest(bytes, file: "ivr-project.yaml")
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// SwiftPM names an executable's entry `<module>_main`; hand control to
/// libFuzzer's driver from there.
@_cdecl("FuzzFrontEnd_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { fuzzOne($0, $1) }
}
