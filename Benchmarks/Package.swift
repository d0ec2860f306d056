// swift-tools-version: 6.2
// Benchmarks, reported as ratios against a baseline measured in the same run.
// Run with scripts/bench.sh.
import PackageDescription

let package = Package(
    name: "ivrc-benchmarks",
    dependencies: [
        .package(name: "ivrc", path: ".."),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        .target(name: "BenchmarkSupport"),
        // recvmmsg / sendmmsg, which Swift's Glibc module does not export.
        .target(name: "CDatagramBatch"),
        // A bare libyaml scan of files, as a process: the floor FrontEndBenchmark `shapes` compares `ivrc check` with.
        .executableTarget(name: "YAMLScan", linkerSettings: [.linkedLibrary("yaml")]),
        .executableTarget(
            name: "FrontEndBenchmark",
            dependencies: ["BenchmarkSupport", .product(name: "IVRSyntax", package: "ivrc"), .product(name: "IVRCheck", package: "ivrc")]
        ),
        .executableTarget(
            name: "RuntimeBenchmark",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "IVRSyntax", package: "ivrc"), .product(name: "IVRCheck", package: "ivrc"),
                .product(name: "IVRBytecode", package: "ivrc"), .product(name: "IVRRuntime", package: "ivrc"),
            ]
        ),
        .executableTarget(
            name: "SIPLoadBenchmark",
            dependencies: [
                "CDatagramBatch",
                .product(name: "IVRSIP", package: "ivrc"), .product(name: "IVRBytecode", package: "ivrc"),
                .product(name: "IVRRuntime", package: "ivrc"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
    ]
)
