import IVRSyntax

/// Loads bundles. `load` is the only way to get a `VerifiedBundle`.
public enum Bundle {
    /// Reads and verifies a whole bundle; throws a `BundleError` for anything
    /// truncated, corrupted, hostile or of an unknown major version.
    public static func load(_ bytes: [UInt8]) throws(BundleError) -> VerifiedBundle {
        let image = try BundleReader.read(bytes)
        let (programs, starts, patterns) = try Verifier.verify(image)
        let sip = try BundleSIPSettings(pairs: image.sipSettings.map { (key: image.strings[$0.key], value: image.strings[$0.value]) })
        return VerifiedBundle(image: image, programs: programs, instructionStarts: starts, patterns: patterns, sipSettings: sip)
    }
}

/// A bundle that passed the verifier: every index, jump and opcode in it is
/// known to be valid, so the interpreter reads it without bounds checks of
/// its own. Only `Bundle.load` makes one.
public struct VerifiedBundle: Sendable {
    public let image: BundleImage
    /// Per flow, its code decoded and verified once: what the interpreter runs.
    public let programs: [FlowProgram]
    /// Per flow, the offsets where instructions start.
    public let instructionStarts: [Set<Int>]

    /// Every regular expression of the code, compiled, by string index.
    public let patterns: [Int: Pattern]

    /// The manifest's `sip:` settings the bundle carries (empty when it has none).
    public let sipSettings: BundleSIPSettings

    fileprivate init(image: BundleImage, programs: [FlowProgram], instructionStarts: [Set<Int>], patterns: [Int: Pattern],
                     sipSettings: BundleSIPSettings) {
        self.image = image
        self.sipSettings = sipSettings
        self.programs = programs
        self.instructionStarts = instructionStarts
        self.patterns = patterns
    }

    public var strings: [String] { image.strings }
    public var flows: [FlowImage] { image.flows }

    public func flowName(_ index: Int) -> String { image.strings[image.flows[index].name] }

    public var flowNames: [String] { image.flows.indices.map(flowName) }

    /// The flow's `events.url` as written, if it has one.
    public func eventsURL(_ index: Int) -> String? { image.flows[index].eventsURL.map { image.strings[$0] } }

    /// A flow by name or by extension.
    public func flowIndex(_ nameOrExtension: String) -> Int? {
        if let i = image.flows.firstIndex(where: { image.strings[$0.name] == nameOrExtension }) { return i }
        return image.flows.firstIndex { $0.extensionNumber.map { image.strings[$0] } == nameOrExtension }
    }

    /// Every instruction of a flow with its offset (for the disassembler and tests).
    public func instructions(ofFlow index: Int) -> [DecodedInstruction] { programs[index].decoded }
}
