import Foundation
import FuzzSupport
import NeuralIKCore

/// URDF files (`RobotModel(urdf:base:tip:)`): every input is a robot with finite kinematics or a
/// typed error, never a crash or a hang. The whole tree, and the sub-chain to a named tip, as
/// `--tip` would ask for it.
func fuzz(_ data: Data) {
  guard let robot = try? RobotModel(urdf: data) else {
    _ = try? RobotModel(urdf: data, tip: "tool0")
    return
  }
  FuzzInput.exercise(robot)
}

#if NEURALIK_FUZZING
  /// The entry point SwiftPM links as `main`: libFuzzer's driver.
  @_cdecl("FuzzURDF_main")
  func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzz)
  }
#else
  @main enum Replay {
    static func main() { FuzzInput.replay(fuzz) }
  }
#endif
