import Foundation

/// The seed and the case count of this test process's fresh-seed property checks.
///
/// Each run draws a new seed, so CI explores new inputs every time; it is printed once, and
/// `NEURALIK_SEED=<seed>` replays the whole run. `NEURALIK_PROPERTY_CASES=<n>` sets the number
/// of cases of every heavy law (CI sets 10,000; see `make properties`).
public enum PropertyRun {
  /// `NEURALIK_SEED` (decimal or `0x` hexadecimal) when set, else a fresh random seed.
  public static let seed: UInt64 = {
    let given = ProcessInfo.processInfo.environment["NEURALIK_SEED"].flatMap(parse)
    let seed = given ?? UInt64.random(in: .min ... .max)
    print("NeuralIK property checks: seed \(seed); replay with NEURALIK_SEED=\(seed)")
    return seed
  }()

  /// The cases of a heavy law: `NEURALIK_PROPERTY_CASES` when set, else `fallback` (what a local
  /// `swift test` can afford in a debug build).
  public static func cases(fallback: Int) -> Int {
    ProcessInfo.processInfo.environment["NEURALIK_PROPERTY_CASES"].flatMap { Int($0) }.map { max(1, $0) }
      ?? fallback
  }

  static func parse(_ text: String) -> UInt64? {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    if trimmed.lowercased().hasPrefix("0x") { return UInt64(trimmed.dropFirst(2), radix: 16) }
    return UInt64(trimmed)
  }

  /// A law's own seed: the run's seed mixed with the law's name (FNV-1a), so that laws draw
  /// independent inputs and each replays alone.
  public static func seed(for law: String) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in law.utf8 {
      hash ^= UInt64(byte)
      hash &*= 0x0000_0100_0000_01B3
    }
    return seed ^ hash
  }
}
