import Foundation

/// The sine and cosine of `x` (radians) together, for forward kinematics and rotations about an
/// axis, which always need both.
///
/// libm's `sin` and `cos` each reduce the argument and pick a polynomial, and Swift cannot reach
/// glibc's `sincos`; here one reduction and two short polynomials serve both, inlined. Half of a
/// 6-joint forward kinematics pass went to the two libm calls per joint.
///
/// Accuracy: within 2 units in the last place of libm's values on `|x| ≤ 10⁵` (the reduction by
/// π/2 carries 86 bits of π/2, and the Taylor polynomials' truncation is below 3e-18 on the reduced
/// range); larger and non-finite arguments go to libm.
///
/// - Parameter x: radians.
/// - Returns: `(sin x, cos x)`.
@inlinable @inline(__always)
public func sineCosine(_ x: Double) -> (sin: Double, cos: Double) {
  guard abs(x) <= 1e5 else { return (sin(x), cos(x)) }
  // Round x·2/π to an integer by adding 1.5·2⁵²: the sum's low bits are the quadrant, and no
  // rounding instruction is needed on baseline x86-64 (which calls libm's `rint` for one).
  let shifter = 6_755_399_441_055_744.0
  let shifted = x * (2 / Double.pi) + shifter
  let quadrant = shifted.bitPattern & 3
  let k = shifted - shifter
  // Cody–Waite: π/2 in two parts, the first with 33 significant bits, so k · head is exact for
  // |k| < 2²⁰ and the subtraction loses nothing.
  let head = 1.570_796_326_734_125_614_17
  let tail = 6.077_100_506_506_192_249_32e-11
  let r = (x - k * head) - k * tail
  let z = r * r
  // Taylor series on |r| ≤ π/4, by Horner's rule in r²: the first terms left out are below
  // 3e-18 (1/18! and 1/19! times (π/4)¹⁸ and ¹⁹).
  var sinePart = 1 / 355_687_428_096_000.0  // 1/17!
  sinePart = sinePart * z - 1 / 1_307_674_368_000.0
  sinePart = sinePart * z + 1 / 6_227_020_800.0
  sinePart = sinePart * z - 1 / 39_916_800.0
  sinePart = sinePart * z + 1 / 362_880.0
  sinePart = sinePart * z - 1 / 5040.0
  sinePart = sinePart * z + 1 / 120.0
  sinePart = sinePart * z - 1 / 6.0
  sinePart = r + r * z * sinePart
  var cosinePart = 1 / 20_922_789_888_000.0  // 1/16!
  cosinePart = cosinePart * z - 1 / 87_178_291_200.0
  cosinePart = cosinePart * z + 1 / 479_001_600.0
  cosinePart = cosinePart * z - 1 / 3_628_800.0
  cosinePart = cosinePart * z + 1 / 40320.0
  cosinePart = cosinePart * z - 1 / 720.0
  cosinePart = cosinePart * z + 1 / 24.0
  cosinePart = 1 - 0.5 * z + z * z * cosinePart
  // Quadrant q: sin x = (s, c, −s, −c)[q], cos x = (c, −s, −c, s)[q]; chosen without branches.
  let swap = quadrant & 1 == 1
  let (a, b) = swap ? (cosinePart, sinePart) : (sinePart, cosinePart)
  let sineSign = (quadrant & 2) << 62
  let cosineSign = ((quadrant &+ 1) & 2) << 62
  return (Double(bitPattern: a.bitPattern ^ sineSign), Double(bitPattern: b.bitPattern ^ cosineSign))
}
