// swift-tools-version: 6.2
import PackageDescription

let package = Package(
  name: "NeuralIK",
  platforms: [.macOS(.v14)],
  products: [
    .library(name: "NeuralIK", targets: ["NeuralIK"]),
    .executable(name: "neural-ik", targets: ["NeuralIKCLI"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
    // Already in the graph through Hummingbird; named for the server's connection guard.
    .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
    .package(url: "https://github.com/apple/swift-log.git", from: "1.14.0"),
    // Already in the graph through Hummingbird; named for the live session's graceful shutdown.
    .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    // `make docs`: the DocC reference (a build-time plugin; nothing links it).
    .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
  ],
  targets: [
    // Kinematics: robot model, forward kinematics, Jacobians, closed-form solvers.
    // Imports nothing but Foundation.
    .target(name: "NeuralIKCore"),
    // The one C interop layer: GSL (nonlinear least squares) and OpenBLAS's cblas.
    .systemLibrary(
      name: "CNumerics",
      providers: [.apt(["libgsl-dev", "libopenblas-dev"])]
    ),
    // Solvers that need numerics: GSL Levenberg–Marquardt and, later, the learned stage.
    .target(name: "NeuralIK", dependencies: ["NeuralIKCore", "CNumerics"]),
    // The benchmark protocol and its reports (`neural-ik eval`, `bench`, `score`): not part of the
    // library that users link.
    .target(name: "NeuralIKBenchmark", dependencies: ["NeuralIK"]),
    // The web app: HTTP and WebSocket solve API and the three.js page, on Hummingbird.
    .target(
      name: "NeuralIKServer",
      dependencies: [
        "NeuralIK",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdCore", package: "hummingbird"),
        .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOWebSocket", package: "swift-nio"),
        .product(name: "NIOFoundationCompat", package: "swift-nio"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      resources: [.copy("Web")]
    ),
    .executableTarget(
      name: "NeuralIKCLI",
      dependencies: [
        "NeuralIK", "NeuralIKServer", "NeuralIKBenchmark",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Hummingbird", package: "hummingbird"),
      ]
    ),
    // Fuzz targets (`make fuzz`), one per input format. A plain build replays files named on the
    // command line; built with `-DNEURALIK_FUZZING`, coverage, ASan and libFuzzer's no-main
    // library (the Makefile's FUZZ_BUILD) each is a libFuzzer binary (see Docs/Fuzzing.md).
    .target(name: "CFuzzDriver", path: "Fuzz/CFuzzDriver"),
    .target(name: "FuzzSupport", dependencies: ["NeuralIKCore", "CFuzzDriver"], path: "Fuzz/Support"),
    .executableTarget(
      name: "FuzzRobotJSON", dependencies: ["FuzzSupport", "NeuralIKCore"], path: "Fuzz/RobotJSON"),
    .executableTarget(name: "FuzzURDF", dependencies: ["FuzzSupport", "NeuralIKCore"], path: "Fuzz/URDF"),
    .executableTarget(
      name: "FuzzModelFile", dependencies: ["FuzzSupport", "NeuralIK"], path: "Fuzz/ModelFile"),
    .executableTarget(
      name: "FuzzTargetsCSV", dependencies: ["FuzzSupport", "NeuralIK"], path: "Fuzz/TargetsCSV"),
    .executableTarget(
      name: "FuzzAPIRequest", dependencies: ["FuzzSupport", "NeuralIK", "NeuralIKServer"],
      path: "Fuzz/APIRequest"),
    .executableTarget(
      name: "FuzzLiveMessage", dependencies: ["FuzzSupport", "NeuralIK", "NeuralIKServer"],
      path: "Fuzz/LiveMessage"),
    // Fixture loading and generators shared by the test targets.
    .target(
      name: "TestSupport",
      dependencies: [
        "NeuralIKCore",
        .product(name: "PropertyBased", package: "swift-property-based"),
      ],
      path: "Tests/TestSupport"
    ),
    .testTarget(
      name: "NeuralIKCoreTests",
      dependencies: [
        "NeuralIKCore", "TestSupport",
        .product(name: "PropertyBased", package: "swift-property-based"),
      ]
    ),
    .testTarget(
      name: "NeuralIKTests",
      dependencies: [
        "NeuralIK", "TestSupport",
        .product(name: "PropertyBased", package: "swift-property-based"),
      ]
    ),
    .testTarget(
      name: "NeuralIKBenchmarkTests",
      dependencies: ["NeuralIKBenchmark", "TestSupport"]
    ),
    // Runs the built `neural-ik` as a user would: the same specification everywhere, bad input.
    .testTarget(
      name: "NeuralIKCLITests",
      dependencies: ["NeuralIKCLI", "NeuralIKBenchmark", "TestSupport"]
    ),
    .testTarget(
      name: "NeuralIKServerTests",
      dependencies: [
        "NeuralIKServer", "TestSupport",
        .product(name: "HummingbirdTesting", package: "hummingbird"),
        .product(name: "HummingbirdWSTesting", package: "hummingbird-websocket"),
      ]
    ),
  ],
  swiftLanguageModes: [.v6]
)
