/// Serializes a `BundleImage` into `.ivrb` bytes. The output depends only on
/// the image (and the fixed DEFLATE settings), so equal sources give equal bytes.
public enum BundleWriter {
    /// `compress: false` stores every section as it is (for tests and for
    /// the benchmark's baseline); readers accept both.
    public static func write(_ image: BundleImage, compress: Bool = true) -> [UInt8] {
        var sections: [(BundleFormat.Section, [UInt8])] = []
        sections.append((.strings, StringPoolCoding.encode(image.strings)))

        var code = ByteWriter()
        var flows = ByteWriter()
        flows.leb(image.flows.count)
        for flow in image.flows {
            let codeOffset = code.count
            code.raw(flow.code)
            writeFlow(flow, codeOffset: codeOffset, into: &flows)
        }
        sections.append((.flows, flows.bytes))
        sections.append((.code, code.bytes))

        if image.hasDebugInfo {
            var debug = ByteWriter()
            debug.leb(image.flows.count)
            for flow in image.flows {
                let info = flow.debug ?? DebugInfo(file: "", entries: [])
                debug.string(info.file)
                debug.leb(info.entries.count)
                var last = 0
                for e in info.entries {
                    debug.leb(e.offset - last)
                    debug.leb(e.line)
                    debug.leb(e.column)
                    last = e.offset
                }
            }
            sections.append((.debug, debug.bytes))
        }

        if !image.sipSettings.isEmpty {
            var sip = ByteWriter()
            sip.leb(image.sipSettings.count)
            for pair in image.sipSettings {
                sip.leb(pair.key)
                sip.leb(pair.value)
            }
            sections.append((.sip, sip.bytes))
        }

        if image.flows.contains(where: { !$0.servers.isEmpty }) {
            var servers = ByteWriter()
            servers.leb(image.flows.count)
            for flow in image.flows {
                servers.leb(flow.servers.count)
                for name in flow.servers { servers.leb(name) }
            }
            sections.append((.servers, servers.bytes))
        }

        var budget = BundleFormat.maxInflatedBytes  // the reader's cap on all inflated sections together
        let encoded = sections.map { id, bytes in encode(id, bytes, compress: compress, budget: &budget) }
        var out = ByteWriter()
        out.raw(BundleFormat.magic)
        out.raw(BundleFormat.guardBytes)
        out.byte(BundleFormat.majorVersion)
        let hasInputs = image.flows.contains { $0.variables.contains(where: \.input) }
        out.byte(hasInputs ? BundleFormat.inputsMinorVersion : BundleFormat.minorVersion)
        out.u32(0)  // checksum, patched below
        out.byte(UInt8(encoded.count))
        for e in encoded {
            out.byte(e.id.rawValue)
            out.byte(e.codec.rawValue)
            out.leb(e.bytes.count)
            if e.codec != .stored { out.leb(e.size) }
        }
        for e in encoded { out.raw(e.bytes) }
        let crc = CRC32.bundleChecksum(out.bytes)
        out.patchU32(crc, at: BundleFormat.checksumOffset)
        return out.bytes
    }

    /// A section as written: compressed with its preferred codec when that
    /// is smaller and the reader's limits allow it, else stored.
    private static func encode(_ id: BundleFormat.Section, _ bytes: [UInt8], compress: Bool, budget: inout Int)
        -> (id: BundleFormat.Section, codec: BundleFormat.Codec, size: Int, bytes: [UInt8]) {
        let codec = BundleFormat.preferredCodec(id)
        if compress, !bytes.isEmpty, bytes.count <= budget,
           let packed = Deflate.compress(bytes, dictionary: codec.dictionary),
           packed.count < bytes.count, BundleFormat.mayInflate(packed.count, to: bytes.count) {
            budget -= bytes.count
            return (id, codec, bytes.count, packed)
        }
        return (id, .stored, bytes.count, bytes)
    }

    private static func writeFlow(_ flow: FlowImage, codeOffset: Int, into w: inout ByteWriter) {
        w.leb(flow.name)
        w.leb(optional: flow.extensionNumber)
        w.leb(optional: flow.language)
        w.leb(optional: flow.voice)
        w.leb(optional: flow.eventsURL)
        w.leb(codeOffset)
        w.leb(flow.code.count)
        w.leb(flow.entry)
        w.leb(flow.slots)
        w.leb(flow.variables.count)
        for v in flow.variables {
            w.leb(v.name)
            w.leb((v.sensitive ? 1 : 0) | (v.input ? 2 : 0))
        }
        w.leb(flow.nodes.count)
        for n in flow.nodes {
            w.leb(n.name)
            w.leb(n.offset)
        }
        w.leb(flow.schedules.count)
        for s in flow.schedules {
            w.leb(s.name)
            w.leb(optional: s.timezone)
            w.leb(s.rules.count)
            for r in s.rules {
                w.leb(Int(r.days))
                w.leb(r.intervals.count)
                for i in r.intervals {
                    w.leb(i.lowerBound)
                    w.leb(i.upperBound)
                }
            }
            w.leb(s.closed.count)
            for c in s.closed { w.leb(c) }
        }
    }
}

extension ByteWriter {
    /// 0 for none, else value + 1.
    public mutating func leb(optional value: Int?) {
        leb(value.map { $0 + 1 } ?? 0)
    }
}
