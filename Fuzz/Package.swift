// swift-tools-version: 6.2
// libFuzzer targets. Build and run with scripts/fuzz.sh; never part of `swift test`.
import PackageDescription

let package = Package(
    name: "ivrc-fuzz",
    dependencies: [.package(name: "ivrc", path: "..")],
    targets: [
        .executableTarget(
            name: "FuzzFrontEnd",
            dependencies: [.product(name: "IVRSyntax", package: "ivrc"), .product(name: "IVRCheck", package: "ivrc")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
        .executableTarget(
            name: "FuzzSIP",
            dependencies: [.product(name: "IVRSIP", package: "ivrc")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
        .executableTarget(
            name: "FuzzImport",
            dependencies: [.product(name: "IVRImport", package: "ivrc"), .product(name: "IVRSyntax", package: "ivrc")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
        .executableTarget(
            name: "FuzzBundle",
            dependencies: [.product(name: "IVRBytecode", package: "ivrc"), .product(name: "IVRRuntime", package: "ivrc")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
    ]
)
