import Foundation
import NeuralIKCore

/// What every fuzz target shares: libFuzzer's bytes as `Data`, a replay mode for builds without
/// the fuzzer, and the checks every parsed robot must pass.
public enum FuzzInput {
  /// libFuzzer's input as `Data`. The one pointer of a fuzz target: libFuzzer's C entry point
  /// hands its input over as a pointer and a length.
  public static func data(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> Data {
    guard let bytes, count > 0 else { return Data() }
    return Data(bytes: bytes, count: count)
  }

  /// Without the fuzzer (a plain `swift build`): runs `body` on every file named on the command
  /// line, or on every file of a named directory (a corpus, a crash reproducer), and says how
  /// many ran. A crash here reproduces a crash of the fuzzer.
  public static func replay(_ body: (Data) -> Void) {
    var count = 0
    for path in CommandLine.arguments.dropFirst() {
      let url = URL(filePath: path)
      // Foundation on Linux lists a plain file as an empty directory, so ask which it is first.
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        print("no such file or directory: \(path)")
        exit(2)
      }
      let files =
        isDirectory.boolValue
        ? (try? FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: nil)) ?? []
        : [url]
      for file in files {
        guard let data = FileManager.default.contents(atPath: file.path) else { continue }
        body(data)
        count += 1
      }
    }
    print("ran \(count) input\(count == 1 ? "" : "s") without a crash")
  }

  /// The repository's `Fixtures/` directory, found from this source file.
  public static let fixtures = URL(filePath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appending(path: "Fixtures")

  /// What every robot that parsed must allow: FK, the Jacobian and the reach bound at the middle
  /// of the limits, all finite (a robot whose numbers overflow must be refused when read, not
  /// answer with infinities later).
  public static func exercise(_ robot: RobotModel) {
    let middle = robot.middleConfiguration
    // swift-format-ignore: AlwaysUseLowerCamelCase
    let T_base_tip = robot.tipPose(at: middle)
    let jacobian = robot.jacobian(at: middle)
    precondition(
      T_base_tip.translation.isFinite && robot.reachBound.isFinite && jacobian.storage.allSatisfy(\.isFinite),
      "robot '\(robot.name)' parsed but its kinematics at the middle are not finite")
    precondition(robot.isWithinLimits(middle), "robot '\(robot.name)': the middle is outside the limits")
  }
}
