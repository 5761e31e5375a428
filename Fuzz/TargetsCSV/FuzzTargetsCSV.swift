import Foundation
import FuzzSupport
import NeuralIK

/// Targets CSV files (`TargetsCSV.parse`, what `neural-ik solve --targets` reads): every input is
/// a list of finite targets within the allowed box or a typed error naming the line.
func fuzz(_ data: Data) {
  guard let text = String(data: data, encoding: .utf8),
    let targets = try? TargetsCSV.parse(text)
  else { return }
  for target in targets {
    let p = target.position
    precondition(
      p.isFinite && max(abs(p.x), abs(p.y), abs(p.z)) <= IKTarget.maximumCoordinate,
      "a parsed target lies outside the allowed box")
  }
}

#if NEURALIK_FUZZING
  /// The entry point SwiftPM links as `main`: libFuzzer's driver.
  @_cdecl("FuzzTargetsCSV_main")
  func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzz)
  }
#else
  @main enum Replay {
    static func main() { FuzzInput.replay(fuzz) }
  }
#endif
