import Foundation
import BenchmarkSupport
import IVRBytecode

/// The sizes section: each stripped bundle against its flow YAML, section by
/// section (stored bytes, codec, inflated bytes), what relative labels would
/// save, and the load + verify time of the bundle as written against the
/// same bundle with every section stored (the baseline, same run).
func sizes(_ workloads: [Workload]) {
    print("Bundle size with --strip, as a share of the flow YAML (target <= 25%)")
    for w in workloads {
        print(String(format: "  %@ YAML %8d B  bundle %7d B = %@   (with debug section %7d B = %@)",
                     pad(w.name) as NSString, w.yamlBytes, w.bundleBytes.count, percent(w.bundleBytes.count, w.yamlBytes) as NSString,
                     w.fullBundleSize, percent(w.fullBundleSize, w.yamlBytes) as NSString))
        let table = sectionTable(w.bundleBytes)
        let header = w.bundleBytes.count - table.reduce(0) { $0 + $1.length }
        let parts = table.map { s in
            "\(s.name) \(s.length) B (\(percent(s.length, w.yamlBytes)))" + (s.codec == 0 ? "" : " <- \(s.size) B \(codecName(s.codec))")
        }
        print("  \(pad("")) header \(header) B; \(parts.joined(separator: ", "))")
        let labels = labelBytes(w.bundle)
        let code = w.bundle.flows.flatMap(\.code)
        let relative = relativeLabelCode(w.bundle)
        let packed = Deflate.compress(code)?.count ?? code.count
        let packedRelative = Deflate.compress(relative)?.count ?? relative.count
        print("  \(pad("")) code: \(labels.count) labels in \(labels.bytes) B; relative labels would make the code "
              + "\(relative.count) B (now \(code.count) B), deflated \(packedRelative) B (now \(packed) B): "
              + "\(percent(packed - packedRelative, w.yamlBytes)) of the YAML")
    }
    print("Load + verify time (Bundle.load), best of 25 alternating runs; baseline: the same bundle with every section stored")
    for w in workloads {
        let bytes = w.bundleBytes
        let stored = BundleWriter.write(w.bundle.image, compress: false)
        var seconds = Double.infinity, baseline = Double.infinity
        for _ in 0..<25 {  // alternating, so a busy moment of the machine hits both
            seconds = min(seconds, Probe.best(repeats: 1) { _ = try? Bundle.load(bytes) })
            baseline = min(baseline, Probe.best(repeats: 1) { _ = try? Bundle.load(stored) })
        }
        print(String(format: "  %@ %7d B  %9.3f ms   stored %7d B  %9.3f ms   ratio %.2fx", pad(w.name) as NSString,
                     bytes.count, seconds * 1e3, stored.count, baseline * 1e3, seconds / baseline))
    }
}

func percent(_ part: Int, _ whole: Int) -> String { String(format: "%.1f%%", 100 * Double(part) / Double(whole)) }

/// Label operands of every instruction, and the bytes they take (LEB128 of the flow offset).
func labelBytes(_ bundle: VerifiedBundle) -> (count: Int, bytes: Int) {
    var count = 0, bytes = 0
    for flow in bundle.flows.indices {
        for ins in bundle.instructions(ofFlow: flow) {
            for case .label(let target) in ins.operands {
                count += 1
                var v = target
                repeat { bytes += 1; v >>= 7 } while v > 0
            }
        }
    }
    return (count, bytes)
}

/// Every flow's code re-encoded with each label as the zigzag LEB128 of
/// `target - instruction offset` (offsets kept from the current layout, so
/// this estimates the size; nothing runs it).
func relativeLabelCode(_ bundle: VerifiedBundle) -> [UInt8] {
    var w = ByteWriter()
    for flow in bundle.flows.indices {
        for ins in bundle.instructions(ofFlow: flow) {
            w.byte(ins.opcode.rawValue)
            for operand in ins.operands {
                if case .label(let target) = operand {
                    let d = target - ins.offset
                    w.leb(d >= 0 ? 2 * d : -2 * d - 1)
                } else {
                    w.operand(operand)
                }
            }
        }
    }
    return w.bytes
}

func codecName(_ codec: Int) -> String { BundleFormat.Codec(rawValue: UInt8(codec))?.name ?? "codec \(codec)" }

/// The section table of a bundle (docs/bytecode.md): per section its name,
/// codec, stored length and inflated size.
func sectionTable(_ bytes: [UInt8]) -> [(name: String, codec: Int, length: Int, size: Int)] {
    guard bytes.count > BundleFormat.sectionTableOffset else { return [] }
    let names = [1: "strings", 2: "flows", 3: "code", 4: "debug"]
    var r = ByteReader(bytes, from: BundleFormat.sectionCountOffset, to: bytes.count, what: "section table")
    var out: [(name: String, codec: Int, length: Int, size: Int)] = []
    guard let count = try? r.byte() else { return [] }
    for _ in 0..<count {
        guard let id = try? r.byte(), let codec = try? r.byte(), let length = try? r.leb() else { return out }
        let size = codec == 0 ? length : (try? r.leb()) ?? 0
        out.append((names[Int(id)] ?? "?", Int(codec), Int(length), Int(size)))
    }
    return out
}
