import Foundation
import NeuralIKCore
import PropertyBased
import TestSupport
import Testing

@Suite("sineCosine: one reduction for both, as exact as libm")
struct SineCosineTests {
  /// Units in the last place between `value` and libm's `reference`, counted at `reference`'s
  /// magnitude but never finer than at 2⁻⁵⁰ (so values near zero are compared absolutely).
  static func ulps(_ value: Double, _ reference: Double) -> Double {
    abs(value - reference) / max(reference.ulp, Double.ulpOfOne / 4)
  }

  @Test("sin and cos within 2 ulp of libm's on every angle of a few turns")
  func agreesWithLibmOnJointAngles() async {
    await propertyCheck(seed: 0x51C0, count: 20_000, input: Gen.double(in: -20...20)) { x in
      let (s, c) = sineCosine(x)
      #expect(Self.ulps(s, sin(x)) <= 2, "sin(\(x)): \(s) against \(sin(x))")
      #expect(Self.ulps(c, cos(x)) <= 2, "cos(\(x)): \(c) against \(cos(x))")
    }
  }

  @Test("within 2 ulp next to every multiple of π/4 up to 10⁵, where the quadrant changes")
  func agreesAtQuadrantEdges() {
    // Every multiple up to ±64, then every 997th up to 10⁵ rad.
    var multiples = Array(-64...64)
    for multiple in stride(from: 65, through: 127_323, by: 997) { multiples += [multiple, -multiple] }
    for multiple in multiples {
      let base = Double(multiple) * .pi / 4
      for x in [base, base.nextUp, base.nextDown, base + 1e-9, base - 1e-9] {
        let (s, c) = sineCosine(x)
        #expect(Self.ulps(s, sin(x)) <= 2, "sin(\(x))")
        #expect(Self.ulps(c, cos(x)) <= 2, "cos(\(x))")
      }
    }
  }

  @Test("sin² + cos² = 1 and the signs of each quadrant")
  func pythagorasAndSigns() async {
    await propertyCheck(seed: 0x51C1, count: 5000, input: Gen.double(in: -1000...1000)) { x in
      let (s, c) = sineCosine(x)
      #expect(abs(s * s + c * c - 1) <= 4 * Double.ulpOfOne, "x = \(x)")
      #expect(s.sign == sin(x).sign || s == 0, "x = \(x)")
      #expect(c.sign == cos(x).sign || c == 0, "x = \(x)")
    }
  }

  @Test("huge and non-finite arguments take libm's answer: NaN for NaN and ±∞, never a guess")
  func outsideTheReducedRange() {
    for x in [1e6, -3.7e12, 1e300] {
      let (s, c) = sineCosine(x)
      #expect(s == sin(x) && c == cos(x), "x = \(x)")
    }
    for x in [Double.nan, .infinity, -.infinity] {
      let (s, c) = sineCosine(x)
      #expect(s.isNaN && c.isNaN, "x = \(x)")
    }
    #expect(sineCosine(0) == (0, 1))
  }
}
