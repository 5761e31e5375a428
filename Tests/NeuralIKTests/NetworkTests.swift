import Foundation
import PropertyBased
import TestSupport
import Testing

@testable import NeuralIK

@Suite("Network: model files, limits, training")
struct NetworkTests {
  /// A small untrained network for the seed arm: file and limit properties need no training.
  static func smallNetwork(_ robot: RobotModel, seed: UInt64 = 5, heads: Int = 3) -> IKNetwork {
    var generator = SplitMix64(seed: seed)
    let layout = JointOutputLayout(robot: robot)
    let mlp = MLP(
      architecture: MLPArchitecture(
        inputCount: 3, hiddenWidths: [16, 16], outputCount: heads * layout.outputsPerHead, activation: .silu),
      using: &generator)
    return IKNetwork(
      robot: robot, mlp: mlp, encoding: InputEncoding(center: [0, 0, 0.3], scale: 0.5, poses: false),
      heads: heads,
      config: TrainingConfig(),
      metrics: TrainingMetrics(
        validation: ValidationResult(
          positionMedianMillimetres: 1.5, positionP95Millimetres: 2, positionP99Millimetres: 3),
        trainingSeconds: 1, epochs: 2))
  }

  @Test("save → load gives bit-identical outputs")
  func roundTrip() throws {
    let robot = try FixtureArm.arm3DoF.robot()
    let network = Self.smallNetwork(robot)
    let url = FileManager.default.temporaryDirectory.appending(path: "neural-ik-test-\(UUID()).nikm")
    defer { try? FileManager.default.removeItem(at: url) }
    try network.write(to: url)
    let loaded = try IKNetwork(contentsOf: url, for: robot)
    #expect(loaded.mlp.parameters.map(\.bitPattern) == network.mlp.parameters.map(\.bitPattern))
    let targets = try [Vector3(0.3, 0.1, 0.5), Vector3(-2, 5, 1), Vector3(0, 0, 0)].map {
      try IKTarget(position: $0)
    }
    let before = try network.proposals(for: targets).flatMap {
      $0.configurations.flatMap { $0.map(\.bitPattern) }
    }
    let after = try loaded.proposals(for: targets).flatMap {
      $0.configurations.flatMap { $0.map(\.bitPattern) }
    }
    #expect(before == after)
    #expect(loaded.metrics == network.metrics)
    #expect(loaded.metrics?.validation.positionMedianMillimetres == 1.5)
  }

  static func corrupted(_ mutate: @Sendable (inout [UInt8]) -> Void) throws -> Data {
    let robot = try FixtureArm.seedArm.robot()
    var bytes = [UInt8](smallNetwork(robot).fileData())
    mutate(&bytes)
    return Data(bytes)
  }

  /// Where `key` ends in `bytes`, at its first occurrence; `nil` when it does not occur.
  @Sendable static func end(of key: [UInt8], in bytes: [UInt8]) -> Int? {
    guard bytes.count >= key.count else { return nil }
    return (0...(bytes.count - key.count)).first { Array(bytes[$0..<($0 + key.count)]) == key }.map {
      $0 + key.count
    }
  }

  static let cases: [(String, @Sendable (inout [UInt8]) -> Void, String)] = [
    ("not a model", { $0 = Array("{\"format\": 1}".utf8) }, "not a NeuralIK model file"),
    ("unknown version", { $0[8] = 9 }, "format version 9 is not supported; this build reads versions 1 to 2"),
    ("truncated weights", { $0.removeLast(10) }, "model file is truncated"),
    ("truncated header", { $0 = Array($0.prefix(40)) }, "model file is truncated"),
    ("trailing bytes", { $0 += [1, 2, 3] }, "3 unexpected bytes after the weights"),
    ("flipped weight bit", { $0[$0.count - 21] ^= 0x10 }, "does not match its checksum"),
    // Version 1 checked the weights only: one digit of the encoding's centre moved every answer.
    (
      "a digit changed in the header",
      { bytes in
        let key = Array("\"center\":[".utf8)
        guard let at = end(of: key, in: bytes) else { return }
        // The first fractional digit of the centre's first number: still JSON, another value.
        guard let point = bytes[at...].firstIndex(of: UInt8(ascii: ".")) else { return }
        bytes[point + 1] = bytes[point + 1] == UInt8(ascii: "1") ? UInt8(ascii: "2") : UInt8(ascii: "1")
      },
      "does not match its checksum"
    ),
    ("corrupt header JSON", { $0[17] = UInt8(ascii: "#") }, "header is corrupt"),
    // A field of the right kind with a wrong value: its path, without Swift's type names.
    (
      "unknown activation",
      { bytes in
        let key = Array("\"activation\":\"".utf8)
        guard let at = end(of: key, in: bytes) else { return }
        for offset in 0..<4 { bytes[at + offset] = UInt8(ascii: "x") }
      },
      "header is corrupt: at architecture.activation: "
    ),
  ]

  @Test("each kind of bad model file is refused with its own message", arguments: cases)
  func badFiles(_ name: String, mutate: @Sendable (inout [UInt8]) -> Void, message: String) throws {
    let data = try Self.corrupted(mutate)
    #expect {
      try IKNetwork(fileData: data)
    } throws: { error in
      let matches = "\(error)".contains(message)
      if !matches { Issue.record("\(name): got \(error)") }
      return matches
    }
  }

  @Test(
    "a model whose header contradicts itself is refused naming the field, though its checksums hold, and is not written: an activation other than its training's, a subnormal input scale, a negative validation error"
  )
  func contradictoryHeaders() throws {
    let robot = try FixtureArm.seedArm.robot()
    let sound = Self.smallNetwork(robot)
    var reluTraining = TrainingConfig()
    reluTraining.activation = .relu
    var negative = sound.metrics
    negative?.validation.positionMedianMillimetres = -5
    let cases: [(IKNetwork, String)] = [
      (
        IKNetwork(
          robot: robot, mlp: sound.mlp, encoding: sound.encoding, heads: sound.heads, config: reluTraining,
          metrics: sound.metrics),
        "activation 'silu' is not the training's 'relu'"
      ),
      (
        IKNetwork(
          robot: robot, mlp: sound.mlp,
          encoding: InputEncoding(center: [0, 0, 0.3], scale: .leastNormalMagnitude / 16, poses: false),
          heads: sound.heads, config: sound.config, metrics: sound.metrics),
        "subnormal scale"
      ),
      (
        IKNetwork(
          robot: robot, mlp: sound.mlp, encoding: sound.encoding, heads: sound.heads, config: sound.config,
          metrics: negative),
        "negative or non-finite error"
      ),
    ]
    let directory = FileManager.default.temporaryDirectory.appending(
      path: "contradictory-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    for (index, (network, words)) in cases.enumerated() {
      #expect {
        try IKNetwork(fileData: network.fileData())
      } throws: { error in
        "\(error)".contains(words)
      }
      // Refused when written too, naming the part, and no file is left.
      let url = directory.appending(path: "\(index).nikm")
      #expect {
        try network.write(to: url)
      } throws: { error in
        "\(error)".contains("would not load") && "\(error)".contains(words)
      }
      #expect(!FileManager.default.fileExists(atPath: url.path))
    }
    #expect(try IKNetwork(fileData: sound.fileData()).mlp == sound.mlp)
    try sound.write(to: directory.appending(path: "sound.nikm"))
  }

  @Test("a model for another robot is refused, naming both robots")
  func wrongRobot() throws {
    let data = try Self.corrupted { _ in }
    let other = try FixtureArm.arm3DoF.robot()
    #expect {
      try IKNetwork(fileData: data, for: other)
    } throws: { "\($0)".contains("trained for robot 'seed-arm'") && "\($0)".contains("not 'arm-3dof'") }
    let foreign = try IKNetwork(fileData: data)
    #expect(throws: SolverSpecificationError.self) {
      try SolverFactory.make(robot: other, network: foreign, specification: .default(.network))
    }
  }

  @Test(
    "a pose model's proposals for a position or an axis target are refused, not made for the base's orientation"
  )
  func proposalsOfTheOtherKind() throws {
    let robot = try RealArm.panda.fromJSON()
    let network = try IKNetwork(contentsOf: try #require(RealArm.panda.modelURL), for: robot)
    let pose = robot.tipPose(at: robot.middleConfiguration)
    let position = try IKTarget(position: pose.translation)
    let axis = try IKTarget(
      position: pose.translation,
      axis: try AxisTarget(toolAxis: Vector3(0, 0, 1), direction: Vector3(0, 0, -1)))
    for target in [position, axis] {
      #expect(throws: IKError.self) { try network.proposals(for: [target]) }
      #expect(throws: IKError.self) { try network.bestProposals(for: [target], robot: robot) }
    }
    let posed = try IKTarget(position: pose.translation, orientation: Quaternion(pose.rotation))
    #expect(try network.proposals(for: [posed]).count == 1)
  }

  @Test("a missing model file is an error, not a crash")
  func missingFile() {
    #expect(throws: ModelFileError.unreadable(path: "/nonexistent/model.nikm", reason: .missing)) {
      try IKNetwork(contentsOf: URL(filePath: "/nonexistent/model.nikm"))
    }
  }

  @Test(
    "a model file's first bytes bound its reading: a 900 MB file of another version, or of a huge header, is refused after its first chunk; a valid model followed by 900 MB is read no further than its first chunk"
  )
  func boundedReading() throws {
    let directory = try scratchDirectory("model-extent")
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appending(path: "big.nikm")
    // Sparse: 900 MB that take no disk, and would take 900 MB of memory to read whole.
    func extend(to length: UInt64) throws {
      let handle = try FileHandle(forWritingTo: url)
      try handle.truncate(atOffset: length)
      try handle.close()
    }
    for (version, headerLength) in [(0, 100), (2, 1 << 30)] as [(UInt32, UInt32)] {
      let littleEndian = { (value: UInt32) in (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
      try Data(Array("NEURALIK".utf8) + littleEndian(version) + littleEndian(headerLength)).write(to: url)
      try extend(to: 900_000_000)
      let data = try FileContents.read(url, limit: ModelLimits.fileBytes, extent: IKNetwork.layout.extent)
      #expect(data.count <= 1 << 20)
      #expect { try IKNetwork(contentsOf: url) } throws: {
        "\($0)".contains(
          version == 0 ? "version 0 is not supported" : "exceeds \(ModelLimits.headerBytes) bytes")
      }
    }
    let model = Self.smallNetwork(try FixtureArm.seedArm.robot()).fileData()
    try model.write(to: url)
    try extend(to: 900_000_000)
    let data = try FileContents.read(url, limit: ModelLimits.fileBytes, extent: IKNetwork.layout.extent)
    #expect(data.count > model.count && data.count <= 1 << 20)
    // Read no further, yet counted whole: a regular file's size says how many follow.
    #expect(throws: ModelFileError.trailingBytes(900_000_000 - model.count)) {
      try IKNetwork(contentsOf: url)
    }
    try (model + Data(repeating: 7, count: 100)).write(to: url)
    #expect(throws: ModelFileError.trailingBytes(100)) { try IKNetwork(contentsOf: url) }
    try (model + Data([7])).write(to: url)
    #expect { try IKNetwork(contentsOf: url) } throws: { "\($0)".contains("has 1 unexpected byte after") }
    // A pipe has no size: what was read is a least count, and said so.
    let pipe = Pipe()
    try pipe.fileHandleForWriting.write(contentsOf: model + Data(repeating: 7, count: 5))
    try pipe.fileHandleForWriting.close()
    let piped = URL(filePath: "/dev/fd/\(pipe.fileHandleForReading.fileDescriptor)")
    #expect { try IKNetwork(contentsOf: piped) } throws: {
      $0 as? ModelFileError == .trailingBytes(5, atLeast: true)
        && "\($0)".contains("has at least 5 unexpected bytes after the weights")
    }
  }

  @Test(
    "no output ever violates a limit and no answer is non-finite, for any target up to the bound; beyond it, a typed refusal",
    arguments: FixtureArm.allCases.map(\.rawValue))
  func limits(arm: String) async throws {
    let robot = try FixtureArm(rawValue: arm)!.robot()
    let network = Self.smallNetwork(robot, seed: 11)
    let solver = try Solvers.make(.network, robot, network: network) { $0.findAll = true }
    let exponents = Gen.double(in: -3...300)
    let directions = Gen.double(in: -1...1).array(of: 3)
    await propertyCheck(seed: 50, count: 400, input: zip(exponents, directions)) { exponent, direction in
      let position = Vector3(direction[0], direction[1], direction[2]) * pow(10, exponent)
      let largest = max(abs(position.x), abs(position.y), abs(position.z))
      guard largest <= IKTarget.maximumCoordinate else {
        #expect(throws: IKError.self, "target \(position) beyond the bound") {
          try IKTarget(position: position)
        }
        return
      }
      let target = try IKTarget(position: position)
      for proposal in try solver.solve(target).solutions {
        #expect(robot.isWithinLimits(proposal.jointValues), "target \(position): \(proposal.jointValues)")
        #expect(proposal.positionError.isFinite, "target \(position)")
      }
    }
  }

  @Test("bad targets are refused: non-finite, and the wrong kind for the network")
  func badTargets() throws {
    #expect(throws: IKError.self) { try IKTarget(values: [.infinity, 0, 0]) }
    let robot = try FixtureArm.seedArm.robot()
    let solver = try Solvers.make(.network, robot, network: Self.smallNetwork(robot))
    #expect { try solver.solve(IKTarget(values: [0.3, 0, 0.3, 1, 0, 0, 0]), from: [0, 0]) } throws: {
      ($0 as? IKError)
        == .wrongTargetKind(expected: .position, got: .pose, reason: "this network (trained for 'seed-arm')")
        && "\($0)".contains("takes position targets")
    }
  }

  @Test("a short training run on the seed arm learns: validation median below 20 mm; the hybrid then reaches")
  func shortTraining() throws {
    let robot = try FixtureArm.seedArm.robot()
    var config = TrainingConfig()
    config.seed = 3
    config.hiddenWidths = [48, 48]
    config.trainingTargets = 24_000
    config.validationTargets = 500
    config.gridPoints = 4_000
    config.warmupEpochs = 1
    config.maxEpochs = 12
    config.batchSize = 256
    let result = try Trainer(robot: robot, config: config).train()
    let median = try #require(result.network.metrics?.validation.positionMedianMillimetres)
    // Untrained, the median is ~300 mm; the full default run reaches ~0.4 mm (Docs/Accuracy.md).
    #expect(median < 20, "validation median \(median) mm")
    #expect(result.log.count == 13)
    #expect(result.balance.shares.reduce(0, +) > 0.999)
    // The hybrid refines this rough network to numerical precision.
    let hybrid = try SolverFactory.make(robot: robot, network: result.network)
    let target = try IKTarget(position: robot.tipPosition(at: [0.4, 0.9]))
    let solution = try hybrid.solve(target, from: robot.middleConfiguration).best
    #expect(solution.reachable && solution.solver == .hybrid)
  }
}

@Suite("Data sets")
struct DataSetTests {
  @Test("balanced and grid sets are reproducible from a seed and load back exactly from CSV")
  func roundTrip() throws {
    let robot = try FixtureArm.arm3DoF.robot()
    var a = SplitMix64(seed: 4)
    var b = SplitMix64(seed: 4)
    let first = DataGeneration.balancedTargets(
      robot: robot, count: 300, reachableShare: 0.5, margin: 0.25, poses: false, using: &a)
    let second = DataGeneration.balancedTargets(
      robot: robot, count: 300, reachableShare: 0.5, margin: 0.25, poses: false, using: &b)
    #expect(first.targets == second.targets)
    let loaded = try TrainingData(csv: first.csv(for: robot), for: robot)
    #expect(loaded.targets == first.targets)
    #expect(loaded.labels == first.labels)
    #expect(first.labels.compactMap { $0 }.count == 150)
    let grid = DataGeneration.fkGrid(robot: robot, step: 0.5)
    try grid.validate(for: robot)
    #expect(try TrainingData(csv: grid.csv(for: robot), for: robot).labels == grid.labels)
  }

  @Test("a gantry's joints named x, y and z head joint:x, joint:y and joint:z, and the set loads back")
  func jointsNamedLikePositions() throws {
    let data = try Data(contentsOf: Fixtures.robots.appending(path: "arm-3dof.json"))
    var json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    var joints = try #require(json["joints"] as? [[String: Any]])
    for (index, name) in ["x", "y", "z"].enumerated() { joints[index]["name"] = name }
    json["joints"] = joints
    let robot = try RobotModel(json: JSONSerialization.data(withJSONObject: json))
    let grid = DataGeneration.fkGrid(robot: robot, step: 0.5)
    let text = grid.csv(for: robot)
    #expect(text.hasPrefix("x,y,z,joint:x,joint:y,joint:z\n"))
    #expect(try TrainingData(csv: text, for: robot).labels == grid.labels)
  }

  @Test("a bad data file is refused naming the line")
  func badFiles() throws {
    let robot = try FixtureArm.seedArm.robot()
    #expect { try TrainingData(csv: "a,b\n", for: robot) } throws: { "\($0)".contains("header must be") }
    #expect { try TrainingData(csv: "x,y,z,base_yaw,shoulder_pitch\n1,2\n", for: robot) } throws: {
      "\($0)".contains("line 2")
    }
    #expect {
      try TrainingData(csv: "x,y,z,base_yaw,shoulder_pitch\n0.1,0,0.3,9,0\n0.2,0,0.3,0,0\n", for: robot)
    } throws: {
      "\($0)".contains("outside the joint limits")
    }
  }
}
