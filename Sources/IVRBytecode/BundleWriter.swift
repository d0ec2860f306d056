/// Serializes a `BundleImage` into `.ivrb` bytes. The output depends only on
/// the image, so equal sources give equal bytes.
public enum BundleWriter {
    public static func write(_ image: BundleImage) -> [UInt8] {
        var sections: [(BundleFormat.Section, [UInt8])] = []

        var strings = ByteWriter()
        strings.leb(image.strings.count)
        for s in image.strings { strings.string(s) }
        sections.append((.strings, strings.bytes))

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

        var out = ByteWriter()
        out.raw(BundleFormat.magic)
        out.raw(BundleFormat.guardBytes)
        out.byte(BundleFormat.majorVersion)
        out.byte(BundleFormat.minorVersion)
        out.u32(0)  // checksum, patched below
        out.byte(UInt8(sections.count))
        var offset = BundleFormat.sectionTableOffset + sections.count * BundleFormat.sectionEntrySize
        for (id, bytes) in sections {
            out.byte(id.rawValue)
            out.u32(UInt32(offset))
            out.u32(UInt32(bytes.count))
            offset += bytes.count
        }
        for (_, bytes) in sections { out.raw(bytes) }
        let crc = CRC32.bundleChecksum(out.bytes)
        out.patchU32(crc, at: BundleFormat.checksumOffset)
        return out.bytes
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
            w.leb(v.sensitive ? 1 : 0)
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
