/// Parses `.ivrb` bytes back into a `BundleImage`, checking the header, the
/// checksum, the section table and every table index on the way. Code is
/// checked afterwards by `Verifier`. Nothing here trusts a count or an offset.
enum BundleReader {
    static func read(_ bytes: [UInt8]) throws(BundleError) -> BundleImage {
        guard bytes.count >= BundleFormat.magic.count, Array(bytes[0..<4]) == BundleFormat.magic else {
            if bytes.count < BundleFormat.magic.count, BundleFormat.magic.starts(with: bytes) {
                throw .truncated("the file ends inside the header (\(bytes.count) bytes)")
            }
            throw .notABundle
        }
        guard bytes.count >= BundleFormat.sectionTableOffset else {
            throw .truncated("the file ends inside the header (\(bytes.count) bytes)")
        }
        guard Array(bytes[4..<10]) == BundleFormat.guardBytes else { throw .mangled }
        let major = bytes[10], minor = bytes[11]
        guard major == BundleFormat.majorVersion else {
            throw .unsupportedVersion(found: "\(major).\(minor)", supported: BundleFormat.versionString)
        }
        var header = ByteReader(bytes, from: BundleFormat.checksumOffset, to: bytes.count, what: "section table")
        let stored = try header.u32()
        let computed = CRC32.bundleChecksum(bytes)
        guard stored == computed else { throw .checksumMismatch(stored: stored, computed: computed) }
        let sections = try readSections(bytes, &header)
        for required in [BundleFormat.Section.strings, .flows, .code] where sections[required] == nil {
            throw .malformed("the \(required.name) section is missing")
        }
        let strings = try StringPoolCoding.decode(sections[.strings] ?? [])
        let code = sections[.code] ?? []
        let flowBytes = sections[.flows] ?? []

        var f = ByteReader(flowBytes, from: 0, to: flowBytes.count, what: "flow table")
        let flowCount = try f.count("flow", minBytesEach: 10)
        var flows: [FlowImage] = []
        for _ in 0..<flowCount {
            flows.append(try readFlow(&f, strings: strings.count, code: code))
        }
        guard f.isAtEnd else { throw .malformed("flow table: stray bytes at its end") }

        if let debug = sections[.debug] {
            var d = ByteReader(debug, from: 0, to: debug.count, what: "debug section")
            let n = try d.leb()
            guard n == UInt64(flows.count) else { throw .malformed("debug section: \(n) flows, the flow table has \(flows.count)") }
            for i in flows.indices {
                let file = try d.string()
                let count = try d.count("entry", minBytesEach: 3)
                var entries: [DebugInfo.Entry] = []
                var offset = 0
                for _ in 0..<count {
                    let delta = try d.index(below: flows[i].code.count + 1, "offset delta")
                    offset += delta
                    guard offset < flows[i].code.count else { throw .outOfRange("debug section: offset \(offset) outside the code") }
                    let line = try d.index(below: Int(Int32.max), "line")
                    let column = try d.index(below: Int(Int32.max), "column")
                    entries.append(DebugInfo.Entry(offset: offset, line: line, column: column))
                }
                flows[i].debug = DebugInfo(file: file, entries: entries)
            }
            guard d.isAtEnd else { throw .malformed("debug section: stray bytes at its end") }
        }
        var sipSettings: [SIPSettingPair] = []
        if let sip = sections[.sip] {
            var s = ByteReader(sip, from: 0, to: sip.count, what: "SIP settings section")
            let count = try s.count("setting", minBytesEach: 2)
            guard count > 0 else { throw .malformed("SIP settings section: no settings (the section is left out when there are none)") }
            for _ in 0..<count {
                let key = try s.index(below: strings.count, "setting key")
                let value = try s.index(below: strings.count, "setting value")
                sipSettings.append(SIPSettingPair(key: key, value: value))
            }
            guard s.isAtEnd else { throw .malformed("SIP settings section: stray bytes at its end") }
        }
        if let servers = sections[.servers] {
            var s = ByteReader(servers, from: 0, to: servers.count, what: "servers section")
            let n = try s.count("flow", minBytesEach: 1)
            guard n == flows.count else { throw .malformed("servers section: \(n) flows, the flow table has \(flows.count)") }
            for i in flows.indices {
                for _ in 0..<(try s.count("server", minBytesEach: 1)) {
                    flows[i].servers.append(try s.index(below: strings.count, "server name"))
                }
            }
            guard flows.contains(where: { !$0.servers.isEmpty }) else {
                throw .malformed("servers section: no flow names a server (the section is left out then)")
            }
            guard s.isAtEnd else { throw .malformed("servers section: stray bytes at its end") }
        }
        return BundleImage(strings: strings, flows: flows, sipSettings: sipSettings)
    }

    /// The section table, then each section's content, inflated where compressed.
    private static func readSections(_ bytes: [UInt8], _ table: inout ByteReader) throws(BundleError)
        -> [BundleFormat.Section: [UInt8]] {
        let count = Int(try table.byte())
        var entries: [(id: BundleFormat.Section, codec: BundleFormat.Codec, length: Int, size: Int)] = []
        var budget = BundleFormat.maxInflatedBytes
        for _ in 0..<count {
            let rawID = try table.byte()
            guard let id = BundleFormat.Section(rawValue: rawID) else { throw .malformed("unknown section id \(rawID)") }
            guard !entries.contains(where: { $0.id == id }) else { throw .malformed("the \(id.name) section appears twice") }
            let rawCodec = try table.byte()
            guard let codec = BundleFormat.Codec(rawValue: rawCodec) else {
                throw .malformed("the \(id.name) section has unknown codec \(rawCodec)")
            }
            let length = try table.index(below: bytes.count + 1, "\(id.name) section length")
            let size = codec == .stored ? length : try table.index(below: Int.max, "\(id.name) section size")
            if codec != .stored {
                // Checked for every section before anything is inflated.
                guard BundleFormat.mayInflate(length, to: size), size <= budget else {
                    throw .outOfRange("the \(id.name) section declares \(size) bytes from \(length) compressed bytes "
                                      + "(at most \(BundleFormat.maxInflationRatio) times its length, "
                                      + "\(BundleFormat.maxInflatedBytes >> 20) MiB for all sections)")
                }
                budget -= size
            }
            entries.append((id, codec, length, size))
        }
        // Bounds of every section first, so nothing is inflated from a file that cannot be whole.
        var offset = table.position
        var slices: [ArraySlice<UInt8>] = []
        for e in entries {
            guard e.length <= bytes.count - offset else {
                throw .truncated("the \(e.id.name) section runs past the end of the file")
            }
            slices.append(bytes[offset..<offset + e.length])
            offset += e.length
        }
        guard offset == bytes.count else {
            throw .malformed("\(bytes.count - offset) stray bytes after the last section")
        }
        var sections: [BundleFormat.Section: [UInt8]] = [:]
        for (e, slice) in zip(entries, slices) {
            sections[e.id] = e.codec == .stored
                ? Array(slice)
                : try Deflate.inflate(slice, size: e.size, dictionary: e.codec.dictionary, what: e.id.name)
        }
        return sections
    }

    private static func readFlow(_ f: inout ByteReader, strings: Int, code: [UInt8]) throws(BundleError) -> FlowImage {
        var flow = FlowImage(name: try f.index(below: strings, "flow name"))
        flow.extensionNumber = try f.optionalIndex(below: strings, "extension")
        flow.language = try f.optionalIndex(below: strings, "language")
        flow.voice = try f.optionalIndex(below: strings, "voice")
        flow.eventsURL = try f.optionalIndex(below: strings, "events url")
        let codeOffset = try f.index(below: code.count + 1, "code offset")
        let codeLength = try f.index(below: code.count - codeOffset + 1, "code length")
        guard codeLength > 0 else { throw .malformed("flow table: a flow has no code") }
        flow.code = Array(code[codeOffset..<codeOffset + codeLength])
        flow.entry = try f.index(below: codeLength, "entry offset")
        flow.slots = try f.index(below: 65_536, "attempt counter count")
        let variableCount = try f.count("variable", minBytesEach: 2)
        guard variableCount >= BuiltinVariable.allCases.count else {
            throw .malformed("flow table: \(variableCount) variables, fewer than the built-ins")
        }
        for _ in 0..<variableCount {
            let name = try f.index(below: strings, "variable name")
            let flags = try f.index(below: 4, "variable flags")
            flow.variables.append(VariableInfo(name: name, sensitive: flags & 1 != 0, input: flags & 2 != 0))
        }
        let nodeCount = try f.count("node", minBytesEach: 2)
        for _ in 0..<nodeCount {
            let name = try f.index(below: strings, "node name")
            let offset = try f.index(below: codeLength, "node offset")
            flow.nodes.append(NodeEntry(name: name, offset: offset))
        }
        let scheduleCount = try f.count("schedule", minBytesEach: 4)
        for _ in 0..<scheduleCount {
            let name = try f.index(below: strings, "schedule name")
            let tz = try f.optionalIndex(below: strings, "time zone")
            var rules: [ScheduleImage.Rule] = []
            for _ in 0..<(try f.count("rule", minBytesEach: 2)) {
                let days = try f.index(below: 128, "day mask")
                var intervals: [Range<Int>] = []
                for _ in 0..<(try f.count("interval", minBytesEach: 2)) {
                    let start = try f.index(below: 24 * 60 + 1, "interval start")
                    let end = try f.index(below: 24 * 60 + 1, "interval end")
                    guard start <= end else { throw .malformed("flow table: interval ends before it starts") }
                    intervals.append(start..<end)
                }
                rules.append(ScheduleImage.Rule(days: UInt8(days), intervals: intervals))
            }
            var closed: [Int] = []
            for _ in 0..<(try f.count("closed date")) { closed.append(try f.index(below: strings, "closed date")) }
            flow.schedules.append(ScheduleImage(name: name, timezone: tz, rules: rules, closed: closed))
        }
        return flow
    }
}

extension ByteReader {
    mutating func optionalIndex(below limit: Int, _ name: String) throws(BundleError) -> Int? {
        let v = try index(below: limit + 1, name)
        return v == 0 ? nil : v - 1
    }
}
