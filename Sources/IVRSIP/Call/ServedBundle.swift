import Crypto
import IVRBytecode

/// The bundle a server answers calls with, as one value: the verified
/// bundle, the SHA-256 of its bytes (a call record's `bundle`) and which
/// of its flows this node serves (`servers:`). A reload replaces the whole
/// value at once; a call keeps the one it was routed with.
public final class ServedBundle: Sendable {
    public let bundle: VerifiedBundle
    /// SHA-256 of the bundle's bytes, lowercase hex.
    public let hash: String
    /// The node's name (`--server`).
    public let server: String
    /// Per flow: whether this node serves it.
    let served: [Bool]

    /// `bytes`: the bundle's bytes as read or built.
    public init(bundle: VerifiedBundle, bytes: [UInt8], server: String) {
        self.bundle = bundle
        self.hash = Self.hash(bytes)
        self.server = server
        served = bundle.flows.map { flow in
            flow.servers.isEmpty || flow.servers.contains { bundle.strings[$0] == server }
        }
    }

    /// SHA-256 in lowercase hex.
    public static func hash(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// Whether this node serves the flow: it has no `servers:`, or they name the node.
    public func serves(flow: Int) -> Bool { served.indices.contains(flow) && served[flow] }

    /// The flows this node serves, by name.
    public var servedFlowNames: [String] { bundle.flows.indices.filter(serves(flow:)).map(bundle.flowName) }

    /// The flows this node does not serve (`servers:` names other nodes), by name.
    public var otherNodesFlowNames: [String] { bundle.flows.indices.filter { !serves(flow: $0) }.map(bundle.flowName) }
}
