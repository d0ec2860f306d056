@testable import IVRBytecode

/// Takes bundles apart into their section table entries and puts them back
/// together with any codec, length or declared size, signed, so tests can
/// forge exactly one lie and see the loader refuse it.
enum RawBundle {
    struct Section {
        var id: UInt8
        var codec: UInt8
        /// The bytes in the file (compressed or not).
        var bytes: [UInt8]
        /// The declared inflated size (written for codec != 0).
        var size: Int
    }

    /// The sections of a bundle as written.
    static func sections(of bundle: [UInt8]) throws -> [Section] {
        var r = ByteReader(bundle, from: BundleFormat.sectionCountOffset, to: bundle.count, what: "test")
        let count = Int(try r.byte())
        var table: [(id: UInt8, codec: UInt8, length: Int, size: Int)] = []
        for _ in 0..<count {
            let id = try r.byte(), codec = try r.byte()
            let length = Int(try r.leb())
            let size = codec == 0 ? length : Int(try r.leb())
            table.append((id, codec, length, size))
        }
        var offset = r.position
        return table.map { e in
            defer { offset += e.length }
            return Section(id: e.id, codec: e.codec, bytes: Array(bundle[offset..<offset + e.length]), size: e.size)
        }
    }

    /// Header, table and sections, with a correct checksum. `major` forges the version.
    static func assemble(_ sections: [Section], major: UInt8 = BundleFormat.majorVersion) -> [UInt8] {
        var w = ByteWriter()
        w.raw(BundleFormat.magic)
        w.raw(BundleFormat.guardBytes)
        w.byte(major)
        w.byte(BundleFormat.minorVersion)
        w.u32(0)
        w.byte(UInt8(sections.count))
        for s in sections {
            w.byte(s.id)
            w.byte(s.codec)
            w.leb(s.bytes.count)
            if s.codec != 0 { w.leb(s.size) }
        }
        for s in sections { w.raw(s.bytes) }
        w.patchU32(CRC32.bundleChecksum(w.bytes), at: BundleFormat.checksumOffset)
        return w.bytes
    }

    /// Applies `edit` to the section with `id` and re-assembles the bundle.
    static func editing(_ bundle: [UInt8], section id: BundleFormat.Section,
                        _ edit: (inout Section) -> Void) throws -> [UInt8] {
        var sections = try sections(of: bundle)
        for i in sections.indices where sections[i].id == id.rawValue { edit(&sections[i]) }
        return assemble(sections)
    }

    /// The loader's message for `bytes`, or nil when it loads.
    static func refusal(_ bytes: [UInt8]) -> String? {
        do {
            _ = try Bundle.load(bytes)
            return nil
        } catch {
            return error.description
        }
    }
}
