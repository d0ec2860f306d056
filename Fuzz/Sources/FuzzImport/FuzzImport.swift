import IVRImport
import IVRSyntax

/// One input: any bytes as a FreeSWITCH menu file, a Twilio Studio flow and
/// an Amazon Connect flow. Each is imported or refused with a position; an
/// imported flow must read back as YAML (no syntax error, duplicate key or
/// unsupported YAML). A crash, hang, leak or unreadable output is a bug.
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let text = String(decoding: bytes, as: UTF8.self)
    for format in ImportFormat.allCases {
        do {
            let result = try FlowImporter.importFlow(format, text: text)
            let problems = FlowParser.parseFlow(Array(result.yaml.utf8), file: "imported.yaml").diagnostics
                .filter { [.E001, .E002, .E007].contains($0.code) }
            if let first = problems.first {
                fatalError("\(format) import wrote YAML that does not read back: \(first.message)\n\(result.yaml)")
            }
        } catch {
            precondition(error.line >= 1 && error.column >= 1, "an error without a position: \(error)")
        }
    }
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
@_cdecl("FuzzImport_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { fuzzOne($0, $1) }
}
