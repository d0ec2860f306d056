// swift-tools-version: 6.2
import PackageDescription

let strict: [SwiftSetting] = [.treatAllWarnings(as: .error)]

let package = Package(
    name: "ivrc",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ivrc", targets: ["ivrc"]),
        .library(name: "IVRSyntax", targets: ["IVRSyntax"]),
        .library(name: "IVRCheck", targets: ["IVRCheck"]),
        .library(name: "IVRImport", targets: ["IVRImport"]),
        .library(name: "IVRBytecode", targets: ["IVRBytecode"]),
        .library(name: "IVRRuntime", targets: ["IVRRuntime"]),
        .library(name: "IVRURLSession", targets: ["IVRURLSession"]),
        .library(name: "IVRReport", targets: ["IVRReport"]),
        .library(name: "IVRLive", targets: ["IVRLive"]),
        .library(name: "IVRSIP", targets: ["IVRSIP"]),
        .library(name: "IVRCampaign", targets: ["IVRCampaign"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
        ),
        .systemLibrary(
            name: "CSRTP",
            pkgConfig: "libsrtp2",
            providers: [.apt(["libsrtp2-dev"]), .brew(["srtp"])]
        ),
        .systemLibrary(
            name: "COpenSSLCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"]), .brew(["openssl"])]
        ),
        // libsrtp2's AES-CM and HMAC-SHA1 on OpenSSL's libcrypto (Debian
        // builds libsrtp2 on NSS, which costs 10-40x more per packet).
        .target(
            name: "CSRTPCrypto",
            dependencies: ["CSRTP", "COpenSSLCrypto"]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        // libresolv's res_nquery (DNS SRV, RFC 2782); part of the C library, no pkg-config file.
        .systemLibrary(name: "CResolv"),
        // Linux's epoll (sys/epoll.h, part of the C library): the RTP sockets' readiness set.
        .systemLibrary(name: "CEpoll"),
        .target(name: "IVRSyntax", dependencies: ["CYAML"], swiftSettings: strict),
        .target(name: "IVRCheck", dependencies: ["IVRSyntax"], swiftSettings: strict),
        // `ivrc import`: FreeSWITCH, Twilio Studio and Amazon Connect trees as flow YAML.
        .target(name: "IVRImport", dependencies: ["IVRSyntax"], swiftSettings: strict),
        .target(name: "IVRBytecode", dependencies: ["IVRSyntax", "CZlib"], swiftSettings: strict),
        .target(name: "IVRRuntime", dependencies: ["IVRSyntax", "IVRCheck", "IVRBytecode"], swiftSettings: strict),
        // Live webhooks on URLSession for library users; `ivrc` does not link it
        // (FoundationNetworking loads libcurl and ~30 libraries at start-up).
        .target(name: "IVRURLSession", dependencies: ["IVRRuntime"], swiftSettings: strict),
        .target(name: "IVRReport", dependencies: ["IVRRuntime"], swiftSettings: strict),
        .target(
            name: "IVRLive",
            dependencies: [
                "IVRSyntax", "IVRBytecode", "IVRRuntime",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "IVRSIP",
            dependencies: [
                "IVRBytecode", "IVRRuntime", "CEpoll", "CResolv", "CSRTP", "CSRTPCrypto",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        // `ivrc campaign`: contacts, journal, pacing and retries, calls placed through IVRSIP.
        .target(name: "IVRCampaign", dependencies: ["IVRCheck", "IVRBytecode", "IVRRuntime", "IVRSIP"], swiftSettings: strict),
        .target(
            name: "IVRCommands",
            dependencies: [
                "IVRSyntax", "IVRCheck", "IVRImport", "IVRBytecode", "IVRRuntime", "IVRReport", "IVRLive", "IVRSIP", "IVRCampaign",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(name: "ivrc", dependencies: ["IVRCommands"], swiftSettings: strict),
        // Helpers the test targets share: subprocesses and slow work off the cooperative pool.
        .target(name: "IVRTestSupport", path: "Tests/IVRTestSupport", swiftSettings: strict),
        .testTarget(name: "IVRSyntaxTests", dependencies: ["IVRSyntax"], swiftSettings: strict),
        .testTarget(
            name: "IVRCheckTests", dependencies: ["IVRSyntax", "IVRCheck"],
            resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(
            name: "IVRBytecodeTests", dependencies: ["IVRSyntax", "IVRBytecode", "IVRRuntime", "IVRCommands"],
            swiftSettings: strict),
        .testTarget(
            name: "IVRRuntimeTests", dependencies: ["IVRSyntax", "IVRCheck", "IVRBytecode", "IVRRuntime", "IVRCommands", "IVRTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "IVRLiveTests",
            dependencies: [
                "IVRLive", "IVRRuntime", "IVRURLSession", "IVRBytecode", "IVRCommands", "IVRTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Support/test_http_server.py"],
            swiftSettings: strict),
        .testTarget(
            name: "IVRReportTests",
            dependencies: ["IVRReport", "IVRCommands", "IVRRuntime", "IVRBytecode", "IVRCheck", "IVRSyntax", "IVRTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "IVRSIPTests",
            dependencies: [
                "IVRSIP", "IVRLive", "IVRRuntime", "IVRBytecode", "IVRTestSupport", "CSRTPCrypto",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: strict),
        .testTarget(
            name: "IVRCommandsTests",
            dependencies: [
                "IVRCommands", "IVRCheck", "IVRSyntax", "IVRBytecode", "IVRRuntime", "IVRSIP", "IVRTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "IVRCampaignTests",
            dependencies: ["IVRCampaign", "IVRRuntime", "IVRSIP", "IVRTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "IVRImportTests",
            dependencies: ["IVRImport", "IVRSyntax", "IVRCommands", "IVRTestSupport"],
            exclude: ["Fixtures"], swiftSettings: strict),
    ]
)
