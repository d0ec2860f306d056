import Foundation
import IVRTestSupport
import Testing

/// Package.swift says what each module may import, and it is the truth:
/// every module a target imports is declared, every declared dependency is
/// imported, and the stage modules depend on each other one way only.
@Suite struct ModuleDependencyTests {
    /// The stages in pipeline order: a module may import only those before it.
    static let layers = ["IVRSyntax", "IVRCheck", "IVRImport", "IVRBytecode", "IVRRuntime", "IVRReport", "IVRLive", "IVRSIP", "IVRCampaign", "IVRCommands", "ivrc"]
    /// Modules of the toolchain and the system, never declared in Package.swift.
    static let system: Set<String> = ["Foundation", "FoundationNetworking", "FoundationXML", "FoundationEssentials", "Glibc", "Darwin",
                                      "Dispatch", "Synchronization", "Testing", "XCTest", "_Concurrency"]

    struct Target { var name: String; var folder: String; var dependencies: Set<String> }

    /// The targets of Package.swift with the modules they declare (target
    /// names and product names).
    static func targets() throws -> [Target] {
        let manifest = try String(contentsOfFile: TestTools.repositoryRoot + "/Package.swift", encoding: .utf8)
        let start = try Regex(#"\.(target|testTarget|executableTarget)\(\s*name: "([A-Za-z]+)""#)
        let starts = manifest.matches(of: start)
        var targets: [Target] = []
        for (i, match) in starts.enumerated() {
            let end = i + 1 < starts.count ? starts[i + 1].range.lowerBound : manifest.endIndex
            let body = manifest[match.range.upperBound..<end]
            let kind = String(match.output[1].substring ?? "")
            let name = String(match.output[2].substring ?? "")
            var dependencies: Set<String> = []
            if let list = body.firstMatch(of: try Regex(#"dependencies: \[(.*?)\]\s*,\s*(?:path|resources|exclude|swiftSettings)"#).dotMatchesNewlines()) {
                let text = list.output[1].substring ?? ""
                for product in text.matches(of: try Regex(#"\.product\(name: "([A-Za-z0-9]+)""#)) {
                    dependencies.insert(String(product.output[1].substring ?? ""))
                }
                let withoutProducts = text.replacing(try Regex(#"\.product\([^)]*\)"#), with: "")
                for plain in withoutProducts.matches(of: try Regex(#""([A-Za-z0-9]+)""#)) {
                    dependencies.insert(String(plain.output[1].substring ?? ""))
                }
            }
            let path = body.firstMatch(of: try Regex(#"path: "([^"]+)""#)).map { String($0.output[1].substring ?? "") }
            let folder = path ?? (kind == "testTarget" ? "Tests/\(name)" : "Sources/\(name)")
            targets.append(Target(name: name, folder: folder, dependencies: dependencies))
        }
        return targets
    }

    /// The modules the Swift files under `folder` import.
    static func imports(in folder: String) throws -> Set<String> {
        let root = TestTools.repositoryRoot + "/" + folder
        let line = try Regex(#"(?m)^(?:@testable |@_implementationOnly |public |internal |package )?import (?:struct |enum |class |func )?([A-Za-z0-9_]+)"#)
        var found: Set<String> = []
        for case let file as String in FileManager.default.enumerator(atPath: root) ?? .init() where file.hasSuffix(".swift") {
            let text = try String(contentsOfFile: root + "/" + file, encoding: .utf8)
            for m in text.matches(of: line) { found.insert(String(m.output[1].substring ?? "")) }
        }
        return found
    }

    @Test func everyImportIsDeclaredAndEveryDeclarationImported() throws {
        let targets = try Self.targets()
        #expect(targets.count >= 16, "\(targets.map(\.name))")
        for target in targets {
            let imported = try Self.imports(in: target.folder).subtracting(Self.system)
            // A system library target (CYAML, CZlib) is imported under its own name.
            let undeclared = imported.subtracting(target.dependencies).subtracting([target.name])
            #expect(undeclared.isEmpty, "\(target.name) imports \(undeclared.sorted()) without declaring them in Package.swift")
            let unused = target.dependencies.subtracting(imported)
            #expect(unused.isEmpty, "\(target.name) declares \(unused.sorted()) in Package.swift and never imports them")
        }
    }

    @Test func stagesImportOnlyEarlierStages() throws {
        for target in try Self.targets() {
            guard let level = Self.layers.firstIndex(of: target.name) else { continue }
            let later = target.dependencies.filter { (Self.layers.firstIndex(of: $0) ?? -1) > level }
            #expect(later.isEmpty, "\(target.name) depends on later stages \(later.sorted())")
        }
    }
}
