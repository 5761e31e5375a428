import ArgumentParser
import NeuralIK

extension Double {
  /// A number option read as robot files and `--target` read numbers: in decimal. Argument
  /// Parser's own reading of a `Double` takes C's hexadecimal floats, so `--rotation-weight 0x10`
  /// was 16 where `--target 0x1p3,0,0` was refused.
  static func decimalArgument(_ text: String) throws -> Double {
    guard let value = Double(decimal: text) else {
      throw ValidationError("'\(text)' is not a decimal number")
    }
    return value
  }
}
