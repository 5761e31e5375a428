import Foundation

/// A deterministic, evenly spread set of orientations: the super-Fibonacci spiral of Alexa
/// ("Super-Fibonacci Spirals: Fast, Low-Discrepancy Sampling of SO(3)", CVPR 2022).
///
/// Sample `i` of `n` (with `s = i + ½`, `t = s / n`) is the unit quaternion
/// `(√t·sin α, √t·cos α, √(1−t)·sin β, √(1−t)·cos β)` in (w, x, y, z) order, with
/// `α = 2πs/√2` and `β = 2πs/ψ`, `ψ ≈ 1.5337511687552` the real root of `ψ⁴ = ψ + 4`. It needs no
/// random numbers, so every machine and every shard gets the same orientations for the same `n`,
/// and its discrepancy on SO(3) is close to the best known sets for any `n`.
public enum OrientationSampling {
  /// The name written in map files: a reader refuses a map sampled another way.
  public static let identifier = "super-fibonacci-2022"

  /// `count` orientations, spread over SO(3).
  public static func superFibonacci(count: Int) -> [Quaternion] {
    let phi = 2.0.squareRoot()
    let psi = 1.533_751_168_755_204_288_118_041
    return (0..<max(0, count)).compactMap { index in
      let s = Double(index) + 0.5
      let t = s / Double(count)
      let r = t.squareRoot()
      let rr = (1 - t).squareRoot()
      let alpha = 2 * Double.pi * s / phi
      let beta = 2 * Double.pi * s / psi
      // Unit by construction (r² + rr² = 1), so the initialiser's check never refuses one.
      return Quaternion(w: r * sin(alpha), x: r * cos(alpha), y: rr * sin(beta), z: rr * cos(beta))
    }
  }
}
