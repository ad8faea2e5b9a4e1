// swift-tools-version: 6.0
import PackageDescription

// Berth targets Linux only: the engine, the host scan (/proc) and the locks are Linux's.
let package = Package(
    name: "Berth",
    products: [
        .executable(name: "berth", targets: ["berth"]),
        .library(name: "BerthCommands", targets: ["BerthCommands"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .target(name: "BerthDiagnostics"),
        .target(name: "BerthHashing"),
        .target(name: "BerthYAML", dependencies: ["CLibYAML", "BerthDiagnostics"]),
        .target(name: "BerthSpec", dependencies: ["BerthYAML", "BerthDiagnostics", "BerthHashing"]),
        .target(name: "BerthGraph", dependencies: ["BerthSpec", "BerthDiagnostics"]),
        .target(name: "BerthPlan", dependencies: ["BerthGraph", "BerthSpec", "BerthYAML", "BerthDiagnostics", "BerthHashing"]),
        .target(name: "BerthPictures", dependencies: ["BerthPlan", "BerthGraph", "BerthSpec", "BerthDiagnostics"]),
        .target(name: "BerthReports", dependencies: ["BerthPlan", "BerthYAML", "BerthDiagnostics", "BerthHashing"]),
        .target(name: "DockerEngine", dependencies: [
            "BerthHashing",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        .target(name: "BerthRuntime", dependencies: ["BerthPlan", "BerthSpec", "BerthYAML", "BerthDiagnostics", "BerthHashing", "DockerEngine"]),
        .target(name: "BerthCommands", dependencies: [
            "BerthRuntime", "BerthReports", "BerthPictures", "BerthPlan", "BerthGraph", "BerthSpec", "BerthYAML", "BerthDiagnostics", "DockerEngine",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "berth", dependencies: ["BerthCommands"]),
        .executableTarget(name: "berth-bench", dependencies: ["BerthPlan", "BerthSpec", "BerthYAML", "DockerEngine"]),
        .target(name: "BerthTestSupport", dependencies: ["BerthPlan", "BerthGraph", "BerthSpec", "BerthDiagnostics"], path: "Tests/BerthTestSupport"),
        .testTarget(name: "BerthYAMLTests", dependencies: ["BerthYAML", "BerthTestSupport"]),
        .testTarget(name: "BerthSpecTests", dependencies: ["BerthSpec", "BerthYAML", "BerthDiagnostics", "BerthTestSupport"], exclude: ["corpus-unsupported-keys.txt"]),
        .testTarget(name: "BerthPlanTests", dependencies: ["BerthPlan", "BerthReports", "BerthGraph", "BerthSpec", "BerthDiagnostics", "BerthTestSupport"], exclude: ["corpus-lints.txt"]),
        .testTarget(name: "BerthRuntimeTests", dependencies: ["BerthRuntime", "BerthPlan", "BerthSpec", "BerthDiagnostics", "DockerEngine", "BerthCommands", "BerthTestSupport", "BerthPictures", "BerthGraph"], exclude: ["Golden"]),
    ],
    swiftLanguageModes: [.v6]
)
