import Foundation
import FuzzSupport
import NeuralIK

/// Model files (`IKNetwork(fileData:for:)`): every input is a network that answers inside the
/// robot's limits, or a typed error; never a crash, a hang or a huge allocation.
///
/// An input that does not begin with the file's magic is read as `header JSON, 0x00, weights`
/// and framed as a model file around it, so that mutations of the header keep a consistent
/// length field and reach the header's validation rather than the framing checks.
func fuzz(_ data: Data) {
  let file = data.starts(with: Array("NEURALIK".utf8)) ? data : ModelFrame.file(framing: data)
  guard let network = try? IKNetwork(fileData: file) else { return }
  for robot in ModelFrame.robots where robot.name == network.robotName {
    guard let checked = try? IKNetwork(fileData: file, for: robot),
      let solver = try? SolverFactory.make(
        robot: robot, network: checked, specification: .default(.network))
    else { continue }
    let pose = robot.tipPose(at: robot.middleConfiguration)
    let target =
      checked.targetKind == .pose
      ? try? IKTarget(position: pose.translation, orientation: Quaternion(pose.rotation))
      : try? IKTarget(position: pose.translation)
    guard let target, let result = try? solver.solve(target) else { continue }
    for solution in result.solutions {
      precondition(robot.isWithinLimits(solution.jointValues), "a loaded model answered outside the limits")
    }
  }
}

enum ModelFrame {
  /// The fixture robots, which a model names.
  static let robots: [RobotModel] = ["seed-arm", "planar-2link", "arm-3dof", "panda", "iiwa14", "ur5"]
    .compactMap { try? RobotModel(contentsOf: FuzzInput.fixtures.appending(path: "robots/\($0).json")) }

  /// `NEURALIK`, version 1, the header length, the header, the weights.
  static func file(framing data: Data) -> Data {
    let bytes = [UInt8](data)
    let split = bytes.firstIndex(of: 0) ?? bytes.count
    let header = bytes[..<split]
    // Version 1, which ends with the weights: a version 2 frame would need its closing checksum,
    // and nearly every input would stop there.
    var file = Array("NEURALIK".utf8) + littleEndian(1)
    file += littleEndian(UInt32(header.count)) + header
    if split < bytes.count { file += bytes[(split + 1)...] }
    return Data(file)
  }

  static func littleEndian(_ value: UInt32) -> [UInt8] {
    (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
  }

  /// Seeds: a small untrained network of each fixture robot (position and pose inputs), as a
  /// whole file and as the `header, 0x00, weights` form.
  static func writeSeeds(to directory: URL) throws {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    var generator = SplitMix64(seed: 1)
    for robot in robots {
      for poses in [false, true] {
        let layout = JointOutputLayout(robot: robot)
        let heads = 2
        let mlp = MLP(
          architecture: MLPArchitecture(
            inputCount: poses ? 9 : 3, hiddenWidths: [4], outputCount: heads * layout.outputsPerHead,
            activation: .silu),
          using: &generator)
        let network = IKNetwork(
          robot: robot, mlp: mlp, encoding: InputEncoding(center: [0, 0, 0.3], scale: 0.5, poses: poses),
          heads: heads, config: TrainingConfig(), metrics: nil)
        let bytes = [UInt8](network.fileData())
        let length = Int(bytes[12]) | Int(bytes[13]) << 8 | Int(bytes[14]) << 16 | Int(bytes[15]) << 24
        let name = "\(robot.name)-\(poses ? "pose" : "position")"
        try Data(bytes).write(to: directory.appending(path: "\(name).nikm"))
        let framed = Array(bytes[16..<(16 + length)]) + [0] + Array(bytes[(16 + length)...])
        try Data(framed).write(to: directory.appending(path: "\(name).framed"))
      }
    }
  }
}

#if NEURALIK_FUZZING
  /// The entry point SwiftPM links as `main`: writes the seed models to `NEURALIK_FUZZ_SEEDS`
  /// when set (`make fuzz` points it at the corpus), then runs libFuzzer.
  @_cdecl("FuzzModelFile_main")
  func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    if let directory = ProcessInfo.processInfo.environment["NEURALIK_FUZZ_SEEDS"] {
      do {
        try ModelFrame.writeSeeds(to: URL(filePath: directory))
      } catch {
        print("cannot write the seed models to \(directory): \(error)")
      }
    }
    return FuzzDriver.run(argc, argv, fuzz)
  }
#else
  @main enum Replay {
    /// `--write-seeds DIR` writes the seed corpus; otherwise replays the named files.
    static func main() throws {
      let arguments = CommandLine.arguments
      if arguments.count == 3, arguments[1] == "--write-seeds" {
        try ModelFrame.writeSeeds(to: URL(filePath: arguments[2]))
        return
      }
      FuzzInput.replay(fuzz)
    }
  }
#endif
