import Dispatch
import NIOCore

/// Where a SIP URI's requests go (RFC 3263 4, without NAPTR): the
/// transport, then an ordered list of peers to try in turn.
///
/// - Transport: the `transport=` parameter; `sips:` means TLS; else UDP.
/// - Targets: the `maddr` parameter, else the host. A numeric address or
///   an explicit port: that host's addresses (A/AAAA) only. Else the SRV
///   records of `_sip._udp`, `_sip._tcp` or `_sips._tcp` `.<host>` in
///   RFC 2782 order, each target's addresses (from the answer's
///   additional records when there, else looked up) at the record's port;
///   no SRV records: the host's addresses at the transport's default port.
///
/// Host addresses come from DNS (A, then AAAA) when a DNS server is
/// configured; otherwise from the system's resolver (getaddrinfo: the
/// hosts file, then its DNS servers).
public struct ServerLocator: Sendable {
    public var dns: any DNSLookup
    /// Whether host addresses are looked up with `dns` (else getaddrinfo).
    public var addressesThroughDNS: Bool

    public init(dns: any DNSLookup, addressesThroughDNS: Bool) {
        self.dns = dns
        self.addressesThroughDNS = addressesThroughDNS
    }

    /// libresolv's lookups: to `server` when given (host addresses too),
    /// else to the system's DNS servers (host addresses by getaddrinfo).
    public init(server: DNSServerAddress?, timeout: Int = 2) {
        self.init(dns: ResolverLookup(server: server, timeout: timeout), addressesThroughDNS: server != nil)
    }

    /// CNAME chains followed within one answer, at most.
    static let maxAliases = 8

    /// The peers of `uri`, in the order to try them (a system random draw
    /// among SRV targets of equal priority).
    public func locate(_ uri: SIPURI) async throws(LocationError) -> [SIPPeer] {
        var random = SystemRandomNumberGenerator()
        return try await locate(uri, using: &random)
    }

    public func locate(_ uri: SIPURI, using random: inout some RandomNumberGenerator) async throws(LocationError) -> [SIPPeer] {
        let transport = Self.transport(of: uri)
        let host = Self.targetHost(of: uri)
        func failure(_ why: String) -> LocationError { LocationError(uri: uri, why: why) }
        // A numeric address or an explicit port: no SRV (RFC 3263 4.2); nor
        // for localhost, which is never asked of DNS (RFC 6761 6.3).
        if let port = uri.port ?? (Self.isNumeric(host) || Self.isLocalhost(host) ? transport.defaultPort : nil) {
            do {
                return try await addresses(of: host, port: port).map { SIPPeer(transport, $0) }
            } catch {
                throw failure(error.description)
            }
        }
        let service = Self.service(of: transport) + "." + host
        var srvProblem: String?
        var targets: [SRVTarget] = []
        var additional: [DNSRecord] = []
        do {
            if case .message(let message) = try await dns.query(service, .srv) {
                targets = Self.srvTargets(in: message, name: service)
                additional = message.additionals
            }
        } catch {
            srvProblem = error.description
        }
        if targets.isEmpty {
            // RFC 3263 4.2: no SRV records, the host's addresses at the default port.
            do {
                return try await addresses(of: host, port: transport.defaultPort).map { SIPPeer(transport, $0) }
            } catch {
                if let srvProblem, error.kind == .noAnswer { throw failure(srvProblem) }
                throw failure(error.kind == .noAnswer ? error.description : "no SRV or A/AAAA records (\(error.description))")
            }
        }
        if targets.count == 1, targets[0].host.isEmpty || targets[0].host == "." {
            throw failure("\(service) says there is no SIP service there (its SRV target is '.')")
        }
        var peers: [SIPPeer] = []
        var problems: [String] = []
        for target in SRVTarget.order(targets, using: &random) where !target.host.isEmpty && target.host != "." {
            let known = Self.addresses(in: additional, of: target.host)
            if !known.isEmpty {
                for address in known {
                    if let a = try? SocketAddress(ipAddress: address, port: Int(target.port)) { peers.append(SIPPeer(transport, a)) }
                }
                continue
            }
            do {
                for a in try await addresses(of: target.host, port: Int(target.port)) { peers.append(SIPPeer(transport, a)) }
            } catch {
                problems.append(error.description)
            }
        }
        var seen = Set<SIPPeer>()
        peers = peers.filter { seen.insert($0).inserted }
        guard !peers.isEmpty else {
            throw failure("no address for any SRV target of \(service): " + problems.joined(separator: "; "))
        }
        return peers
    }

    /// The addresses of `host` at `port`: an IP address as it is; a name
    /// by DNS (A then AAAA) or getaddrinfo, as configured.
    public func addresses(of host: String, port: Int) async throws(AddressLookupError) -> [SocketAddress] {
        if let address = try? SocketAddress(ipAddress: host, port: port) { return [address] }
        guard addressesThroughDNS else { return try await Self.systemAddresses(of: host, port: port) }
        var found: [String] = []
        var lastProblem: AddressLookupError?
        var missing = 0
        for type in [DNSRecordType.a, .aaaa] {
            do {
                switch try await dns.query(host, type) {
                case .message(let message): found += Self.addresses(in: message.answers, of: host)
                case .noSuchName, .noRecords: missing += 1
                }
            } catch {
                lastProblem = AddressLookupError(kind: .noAnswer, description: error.description)
            }
        }
        let addresses = found.compactMap { try? SocketAddress(ipAddress: $0, port: port) }
        if !addresses.isEmpty { return addresses }
        if let lastProblem, missing == 0 { throw lastProblem }
        throw AddressLookupError(kind: .noAddress, description: "\(host) has no A or AAAA record")
    }

    /// getaddrinfo, on a Dispatch queue (it blocks).
    static func systemAddresses(of host: String, port: Int) async throws(AddressLookupError) -> [SocketAddress] {
        let result: Result<SocketAddress, AddressLookupError> = await withCheckedContinuation { done in
            ResolverLookup.queue.async {
                do {
                    done.resume(returning: .success(try SocketAddress.makeAddressResolvingHost(host, port: port)))
                } catch {
                    done.resume(returning: .failure(AddressLookupError(kind: .noAddress, description: "cannot resolve \(host): \(error)")))
                }
            }
        }
        return [try result.get()]
    }

    /// The transport of a URI's requests (RFC 3263 4.1 without NAPTR): TLS
    /// for `sips:`, else the `transport` parameter (`udp`, `tcp`, `tls`;
    /// UDP when absent or another, as `SIPEndpoint.hop(of:)`).
    static func transport(of uri: SIPURI) -> SIPTransport {
        if uri.scheme == "sips" { return .tls }
        return (uri.parameter("transport") ?? nil).flatMap(SIPTransport.init(name:)) ?? .udp
    }

    /// `maddr` when present (it keeps its RFC 3261 meaning), else the host;
    /// without the brackets of an IPv6 reference and a final dot.
    static func targetHost(of uri: SIPURI) -> String {
        var host = ((uri.parameter("maddr") ?? nil) ?? uri.host).trimmingCharacters(in: "[]").lowercased()
        if host.hasSuffix("."), host.count > 1 { host.removeLast() }
        return host
    }

    static func isNumeric(_ host: String) -> Bool { (try? SocketAddress(ipAddress: host, port: 0)) != nil }

    static func isLocalhost(_ host: String) -> Bool { host == "localhost" || host.hasSuffix(".localhost") }

    /// The SRV service name prefix of a transport (RFC 3263 4.1).
    static func service(of transport: SIPTransport) -> String {
        switch transport {
        case .udp: "_sip._udp"
        case .tcp: "_sip._tcp"
        case .tls: "_sips._tcp"
        }
    }

    static func srvTargets(in message: DNSMessage, name: String) -> [SRVTarget] {
        let names = aliases(of: name, in: message.answers)
        return message.answers.compactMap { record in
            guard names.contains(record.name), case .srv(let priority, let weight, let port, let target) = record.data else { return nil }
            return SRVTarget(priority: priority, weight: weight, port: port, host: target)
        }
    }

    /// The A then AAAA addresses of `name` (or its aliases) among `records`.
    static func addresses(in records: [DNSRecord], of name: String) -> [String] {
        let names = aliases(of: name, in: records)
        var v4: [String] = [], v6: [String] = []
        for record in records where names.contains(record.name) {
            switch record.data {
            case .a(let address): v4.append(address)
            case .aaaa(let address): v6.append(address)
            default: break
            }
        }
        return v4 + v6
    }

    /// `name` and the names its CNAME records lead to, at most `maxAliases` steps.
    static func aliases(of name: String, in records: [DNSRecord]) -> Set<String> {
        var names: Set<String> = [name.lowercased()]
        for _ in 0..<maxAliases {
            let more = records.compactMap { record -> String? in
                guard names.contains(record.name), case .cname(let target) = record.data, !names.contains(target) else { return nil }
                return target
            }
            if more.isEmpty { break }
            names.formUnion(more)
        }
        return names
    }
}
