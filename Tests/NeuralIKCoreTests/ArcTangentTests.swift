import Foundation
import PropertyBased
import TestSupport
import Testing

@testable import NeuralIKCore

@Suite("arcTangent2: atan2 in a fifth of libm's instructions, as exact")
struct ArcTangentTests {
  /// Units in the last place between `value` and libm's `reference`.
  static func ulps(_ value: Double, _ reference: Double) -> Double {
    abs(value - reference) / max(reference.ulp, Double.leastNormalMagnitude)
  }

  @Test("within 4 ulp of libm's atan2 on points of every quadrant and of unlike magnitudes")
  func agreesWithLibm() async {
    let points = zip(Gen.double(in: -1...1), Gen.double(in: -1...1), Gen.int(in: -40...40))
    await propertyCheck(seed: 0xA7A2, count: 50_000, input: points) { x, y, exponent in
      // One coordinate scaled by up to 2^±40: ratios near 0 and near the axes.
      let scaledY = y * pow(2, Double(exponent))
      #expect(Self.ulps(arcTangent2(scaledY, x), atan2(scaledY, x)) <= 4, "atan2(\(scaledY), \(x))")
    }
  }

  @Test("within 4 ulp where the reduction changes its centre, on the diagonals and on the axes")
  func agreesAtTheSeams() {
    var ratios: [Double] = [0, 1, 0.125, 0.375, 0.625, 0.875, 0.25, 0.5, 0.75]
    for ratio in ratios { ratios += [ratio.nextUp, ratio.nextDown, ratio + 1e-12, ratio - 1e-12] }
    for ratio in ratios where ratio >= 0 && ratio <= 1 {
      for (sx, sy) in [(1.0, 1.0), (-1, 1), (1, -1), (-1, -1)] {
        for (x, y) in [(sx * 3, sy * 3 * ratio), (sx * 3 * ratio, sy * 3)] {
          #expect(Self.ulps(arcTangent2(y, x), atan2(y, x)) <= 4, "atan2(\(y), \(x))")
        }
      }
    }
  }

  @Test("zeros, infinities and NaN: exactly libm's answers, signs of zero included")
  func specialValues() {
    let values: [Double] = [
      0, -0.0, 1, -1, .infinity, -.infinity, .nan, .leastNonzeroMagnitude * 1e4, -1e308,
    ]
    for y in values {
      for x in values {
        let (ours, libm) = (arcTangent2(y, x), atan2(y, x))
        if libm.isNaN {
          #expect(ours.isNaN, "atan2(\(y), \(x))")
        } else {
          #expect(
            Self.ulps(ours, libm) <= 4 && ours.sign == libm.sign, "atan2(\(y), \(x)): \(ours) against \(libm)"
          )
        }
      }
    }
  }
}
