import Foundation
import IVRBytecode
import IVRRuntime
import Testing
@testable import IVRLive

/// A bundle carries each flow's `events.url`, so running a bundle posts events too.
@Suite struct EventsDirectoryBundleTests {
    @Test func bundleCarriesEventsURL() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ivrc-ev-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try """
            ivr: shop
            events: {url: "https://hooks.shop.example/ivr/${flow}"}
            nodes:
              bye: [{say: "Goodbye."}, hangup]
            """.write(toFile: root + "/shop.yaml", atomically: true, encoding: .utf8)
        let built = try FlowBuild.build(paths: ["shop.yaml"], currentDirectory: root).get()
        try Data(built.bytes).write(to: URL(fileURLWithPath: root + "/shop.ivrb"))
        let directory = EventsDirectory(paths: ["shop.ivrb"], currentDirectory: root)
        #expect(directory.urls == ["shop": "https://hooks.shop.example/ivr/${flow}"])
        #expect(directory.url(flow: "shop", caller: nil, called: nil) == "https://hooks.shop.example/ivr/shop")
    }
}
