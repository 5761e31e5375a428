import Foundation
import FuzzSupport
import NeuralIKCore

/// Robot JSON files (`RobotModel(json:)`): every input is a robot with finite kinematics or a
/// typed error, never a crash or a hang.
func fuzz(_ data: Data) {
  guard let robot = try? RobotModel(json: data) else { return }
  FuzzInput.exercise(robot)
}

#if NEURALIK_FUZZING
  /// The entry point SwiftPM links as `main`: libFuzzer's driver.
  @_cdecl("FuzzRobotJSON_main")
  func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzz)
  }
#else
  @main enum Replay {
    static func main() { FuzzInput.replay(fuzz) }
  }
#endif
