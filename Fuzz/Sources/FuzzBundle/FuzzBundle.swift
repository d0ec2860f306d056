import Foundation
import IVRBytecode
import IVRRuntime

/// One input: any bytes as an `.ivrb` bundle, through the loader and the
/// verifier, as they are and re-signed (the checksum rewritten, so that
/// mutations get past it to the section reader and the verifier); what
/// verifies is disassembled and one call of each flow runs against a
/// scripted caller with a small budget, so it ends. A crash, hang or leak
/// is a bug.
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    load(bytes)
    let field = BundleFormat.checksumOffset
    if bytes.count >= field + 4 {
        var signed = bytes
        let crc = CRC32.bundleChecksum(signed)
        for i in 0..<4 { signed[field + i] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(i))) }
        if signed != bytes { load(signed) }
    }
    return 0
}

func load(_ bytes: [UInt8]) {
    guard let bundle = try? Bundle.load(bytes) else { return }
    _ = Disassembler.disassemble(bundle)
    for flow in bundle.flows.indices.prefix(4) {
        _ = runCall(bundle, flow: flow, tokens: [.keys("1"), .silence, .keys("123456#"), .keys("*"), .keys("412")])
    }
}

/// Drives the interpreter synchronously, answering each wait from the
/// tokens (then silence), for at most `maxEffects` effects and about
/// `maxInstructions` instructions (one `run()` stops by itself after
/// `CallVM.instructionBudget`), so every input ends quickly.
func runCall(_ bundle: VerifiedBundle, flow: Int, tokens: [InputToken],
             maxEffects: Int = 64, maxInstructions: Int = 20_000) -> Int {
    var vm = CallVM(bundle: bundle, flow: flow, caller: "+15555550100", now: Date(timeIntervalSince1970: 0))
    vm.tracing = true  // counts instructions
    var tokens = tokens[...]
    for effects in 0..<maxEffects {
        if vm.executed.count > maxInstructions { return effects }
        switch vm.run() {
        case .hangup, .error:
            return effects
        case .collect(let request):
            var digits = ""
            if case .keys(let keys)? = tokens.popFirst() { digits = String(keys.prefix(request.maxDigits)) }
            vm.resume(.collected(CollectResult(digits: digits, ending: digits.isEmpty ? .timeout : .maxDigits, promptsPlayed: 0)))
        case .transfer:
            vm.resume(.transferFailed("busy"))
        case .record:
            vm.resume(.recorded("recording-1.wav"))
        case .webhook:
            vm.resume(.webhook(.success(WebhookResponse(status: 200, body: Array(#"{"tier":"gold","n":1}"#.utf8)))))
        default:
            continue
        }
    }
    return maxEffects
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// SwiftPM names an executable's entry `<module>_main`; hand control to
/// libFuzzer's driver from there.
@_cdecl("FuzzBundle_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { fuzzOne($0, $1) }
}
