import Foundation

/// `atan2(y, x)`: the angle of the point `(x, y)`, in [−π, π], within 4 units in the last place of
/// libm's value; zeros, infinities and NaN are handed to libm, for its conventions.
///
/// The subproblems of a closed form call it about 25 times per target, and libm's `atan2` costs
/// about 200 instructions a call (its argument checks, and the exact-rounding work of glibc);
/// this costs about 60. The ratio `t` of the smaller coordinate to the larger is moved next to
/// the nearest of 0, ¼, ½, ¾ and 1 by `atan t = atan c + atan((t − c)/(1 + t c))`, and the rest,
/// at most ⅛, is a Taylor series whose first term left out is below 3e-18 of the result.
///
/// - Parameters:
///   - y: the point's second coordinate.
///   - x: its first coordinate.
/// - Returns: radians, with `atan2`'s signs and quadrants.
@inline(__always)
func arcTangent2(_ y: Double, _ x: Double) -> Double {
  let (ax, ay) = (abs(x), abs(y))
  guard ax.isFinite, ay.isFinite, ax > 0 || ay > 0 else { return atan2(y, x) }
  let swap = ay > ax
  let t = swap ? ax / ay : ay / ax
  let k = Int(t * 4 + 0.5)
  let c = Double(k) * 0.25
  // t − c is exact (the two are within a factor of two, or c is 0).
  let u = (t - c) / (1 + t * c)
  let z = u * u
  var series = 1 / 17.0
  series = series * z - 1 / 15.0
  series = series * z + 1 / 13.0
  series = series * z - 1 / 11.0
  series = series * z + 1 / 9.0
  series = series * z - 1 / 7.0
  series = series * z + 1 / 5.0
  series = series * z - 1 / 3.0
  let atanU = u + u * z * series
  // atan c as a head and a tail: their sum carries about 70 bits.
  let (head, tail): (Double, Double)
  switch k {
  case 0: (head, tail) = (0, 0)
  case 1: (head, tail) = (0.244_978_663_126_864_14, 1.069_875_561_873_445_1e-17)
  case 2: (head, tail) = (0.463_647_609_000_806_1, 2.269_877_745_296_168_7e-17)
  case 3: (head, tail) = (0.643_501_108_793_284_4, 1.583_478_505_144_428_6e-17)
  default: (head, tail) = (0.785_398_163_397_448_3, 3.061_616_997_868_383e-17)
  }
  var angle = head + (tail + atanU)
  if swap { angle = (1.570_796_326_794_896_6 - angle) + 6.123_233_995_736_766e-17 }
  if x.sign == .minus { angle = (3.141_592_653_589_793 - angle) + 1.224_646_799_147_353_2e-16 }
  return y.sign == .minus ? -angle : angle
}
