import ArgumentParser
import NeuralIK

extension Double {
  /// A number option read as robot files and `--target` read numbers: in decimal. Argument
  /// Parser's own reading of a `Double` takes C's hexadecimal floats, so `--rotation-weight 0x10`
  /// was 16 where `--target 0x1p3,0,0` was refused. A number too near 0 for a `Double`
  /// (`1e-999`) is refused rather than read as 0, and `nan` as no number at all.
  static func decimalArgument(_ text: String) throws -> Double {
    guard let value = Double(decimal: text), !value.isNaN else {
      throw ValidationError("'\(text)' is not a decimal number")
    }
    let mantissa = text.prefix { $0 != "e" && $0 != "E" }
    if value == 0, mantissa.contains(where: { ("1"..."9").contains($0) }) {
      throw ValidationError("'\(text)' is too near 0 to be told from it; give 0 or a number above 1e-300")
    }
    return value
  }
}

extension FixedWidthInteger {
  /// A whole-number option read in decimal, refused with the reason: Argument Parser's own
  /// reading says only that the value is invalid, for `0x10`, `1e3` and a number past the
  /// type's range alike. Each option's own range is checked after, with its limits named.
  ///
  /// For the options without a default only: Argument Parser shows no default for an option read
  /// through a transform, so those with one keep its own reading (and its shorter message).
  static func wholeArgument(_ text: String) throws -> Self {
    if let value = Self(text) { return value }
    let digits = text.first == "+" || text.first == "-" ? text.dropFirst() : Substring(text)
    if !digits.isEmpty, digits.allSatisfy({ ("0"..."9").contains($0) }) {
      throw ValidationError("'\(text)' is out of range: whole numbers here run from \(min) to \(max)")
    }
    if let value = Double(decimal: text), value.isFinite, value == value.rounded(), abs(value) < 1e15,
      Self.isSigned || value >= 0
    {
      throw ValidationError("'\(text)' is not written as a whole number; write \(Int(value))")
    }
    throw ValidationError("'\(text)' is not a whole number in decimal digits, from \(min) to \(max)")
  }
}
