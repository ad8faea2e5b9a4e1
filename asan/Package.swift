// swift-tools-version: 6.0
import PackageDescription

// The loader's and checker's tests under AddressSanitizer (issue "Truth and hardening"): a separate, small build of the
// modules without NIO (YAML, Spec, Graph, Plan, and the report formats the rule tests read), through symlinks to the
// real sources and tests. Run by scripts/asan-tests.sh, which the test command calls.
let package = Package(
    name: "BerthASan",
    targets: [
        .systemLibrary(name: "CLibYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .target(name: "BerthDiagnostics"),
        .target(name: "BerthHashing"),
        .target(name: "BerthYAML", dependencies: ["CLibYAML", "BerthDiagnostics"]),
        .target(name: "BerthSpec", dependencies: ["BerthYAML", "BerthDiagnostics", "BerthHashing"]),
        .target(name: "BerthGraph", dependencies: ["BerthSpec", "BerthDiagnostics"]),
        .target(name: "BerthPlan", dependencies: ["BerthGraph", "BerthSpec", "BerthYAML", "BerthDiagnostics", "BerthHashing"]),
        .target(name: "BerthReports", dependencies: ["BerthPlan", "BerthYAML", "BerthDiagnostics", "BerthHashing"]),
        .target(name: "BerthTestSupport", dependencies: ["BerthPlan", "BerthGraph", "BerthSpec", "BerthDiagnostics"], path: "Tests/BerthTestSupport"),
        .testTarget(name: "BerthYAMLTests", dependencies: ["BerthYAML", "BerthTestSupport"]),
        .testTarget(name: "BerthSpecTests", dependencies: ["BerthSpec", "BerthYAML", "BerthDiagnostics", "BerthTestSupport"], exclude: ["corpus-unsupported-keys.txt"]),
        .testTarget(name: "BerthPlanTests", dependencies: ["BerthPlan", "BerthReports", "BerthGraph", "BerthSpec", "BerthDiagnostics", "BerthTestSupport"], exclude: ["corpus-lints.txt"]),
    ]
)
