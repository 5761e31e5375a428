import Foundation
import NeuralIKCore
import PropertyBased
import TestSupport
import Testing

/// The Paden–Kahan subproblems, checked by the laws that define them on seeded random cases.
@Suite("Geometric subproblems")
struct SubproblemTests {
  /// Random unit axes, vectors and angles: `count` values in [−1, 1], read three at a time.
  static func draws(_ count: Int) -> Generator<[Double], some Sequence & SendableMetatype> {
    Gen.double(in: -1...1).array(of: count)
  }

  static func vector(_ values: [Double], _ index: Int) -> Vector3 {
    Vector3(values[3 * index], values[3 * index + 1], values[3 * index + 2])
  }

  static func unit(_ values: [Double], _ index: Int) -> Vector3 {
    let v = vector(values, index) + Vector3(0.05, -0.03, 0.02)
    return v / v.length
  }

  static func gap(_ a: Vector3, _ b: Vector3) -> Double { (a - b).length }

  static func turnGap(_ a: Double, _ b: Double) -> Double { abs(remainder(a - b, 2 * .pi)) }

  @Test("subproblem 1: rotating p by the returned angle maps it onto q")
  func rotationOntoPoint() async {
    await propertyCheck(seed: 11, count: 2000, input: Self.draws(7)) { values in
      let (k, p) = (Self.unit(values, 0), Self.vector(values, 1))
      let angle = values[6] * .pi
      let q = Rotation3(axis: k, angle: angle) * p
      let result = subproblem1(axis: k, from: p, to: q)
      #expect(result.condition == .exact, "input \(values)")
      let reached = Rotation3(axis: k, angle: result.angles[0]) * p
      #expect(Self.gap(reached, q) < 1e-12, "input \(values): \(result)")
    }
  }

  @Test("subproblem 1: a q off p's circle is flagged least squares, and the angle is p's nearest")
  func rotationLeastSquares() async {
    await propertyCheck(seed: 12, count: 500, input: Self.draws(10)) { values in
      let (k, p, q) = (Self.unit(values, 0), Self.vector(values, 1), Self.vector(values, 2) * 3)
      let result = subproblem1(axis: k, from: p, to: q)
      let best = Self.gap(Rotation3(axis: k, angle: result.angles[0]) * p, q)
      for step in 0..<64 {
        let other = Rotation3(axis: k, angle: Double(step) * .pi / 32) * p
        #expect(best <= Self.gap(other, q) + 1e-12, "input \(values)")
      }
    }
  }

  @Test("subproblem 2: both rotations meet, and the generating pair is among those returned")
  func twoAxes() async {
    await propertyCheck(seed: 21, count: 2000, input: Self.draws(11)) { values in
      let (k1, k2, x) = (Self.unit(values, 0), Self.unit(values, 1), Self.vector(values, 2))
      let (theta1, theta2) = (values[9] * .pi, values[10] * .pi)
      let p1 = Rotation3(axis: k1, angle: -theta1) * x
      let p2 = Rotation3(axis: k2, angle: -theta2) * x
      let result = subproblem2(axis: k1, from: p1, axis: k2, from: p2)
      #expect(result.condition == .exact, "input \(values)")
      for (a, b) in result.pairs {
        let gap = Self.gap(Rotation3(axis: k1, angle: a) * p1, Rotation3(axis: k2, angle: b) * p2)
        #expect(gap < 1e-9, "input \(values): pair (\(a), \(b)) misses by \(gap)")
      }
      // Near tangent circles the two pairs merge and the generating one is met to √rounding.
      let nearest = result.pairs.map { max(Self.turnGap($0.0, theta1), Self.turnGap($0.1, theta2)) }.min()
      #expect((nearest ?? .infinity) < 1e-5, "input \(values): \(result.pairs)")
    }
  }

  @Test("subproblem 2: circles that do not meet are flagged least squares")
  func twoAxesLeastSquares() {
    // Both circles near the poles of perpendicular axes never meet.
    let result = subproblem2(
      axis: Vector3(0, 0, 1), from: Vector3(0.1, 0, 1), axis: Vector3(1, 0, 0), from: Vector3(1, 0.1, 0))
    #expect(result.condition == .leastSquares)
    #expect(result.pairs.count == 1)
  }

  @Test("subproblem 3: every returned angle puts p at the distance, the generating one among them")
  func rotationToDistance() async {
    await propertyCheck(seed: 31, count: 2000, input: Self.draws(10)) { values in
      let (k, p, q) = (Self.unit(values, 0), Self.vector(values, 1), Self.vector(values, 2))
      let angle = values[9] * .pi
      let d = Self.gap(Rotation3(axis: k, angle: angle) * p, q)
      let result = subproblem3(axis: k, from: p, to: q, distance: d)
      #expect(result.condition == .exact, "input \(values)")
      for theta in result.angles {
        let reached = Self.gap(Rotation3(axis: k, angle: theta) * p, q)
        #expect(abs(reached - d) < 1e-9, "input \(values): \(theta) gives \(reached), not \(d)")
      }
      let nearest = result.angles.map { Self.turnGap($0, angle) }.min() ?? .infinity
      #expect(nearest < 1e-5, "input \(values): \(result.angles) misses \(angle)")
    }
  }

  @Test("subproblem 3: a distance out of range is flagged least squares and comes nearest it")
  func rotationToDistanceLeastSquares() async {
    await propertyCheck(seed: 32, count: 500, input: Self.draws(9)) { values in
      let (k, p, q) = (Self.unit(values, 0), Self.vector(values, 1), Self.vector(values, 2))
      let d = p.length + q.length + 1
      let result = subproblem3(axis: k, from: p, to: q, distance: d)
      #expect(result.condition == .leastSquares, "input \(values)")
      let best = Self.gap(Rotation3(axis: k, angle: result.angles[0]) * p, q)
      for step in 0..<64 {
        let other = Self.gap(Rotation3(axis: k, angle: Double(step) * .pi / 32) * p, q)
        #expect(abs(best - d) <= abs(other - d) + 1e-12, "input \(values)")
      }
    }
  }

  @Test("subproblem 4: every returned angle puts p at the height, the generating one among them")
  func rotationToHeight() async {
    await propertyCheck(seed: 41, count: 2000, input: Self.draws(10)) { values in
      let (k, p, h) = (Self.unit(values, 0), Self.vector(values, 1), Self.unit(values, 2))
      let angle = values[9] * .pi
      let d = h.dot(Rotation3(axis: k, angle: angle) * p)
      let result = subproblem4(axis: k, from: p, direction: h, height: d)
      #expect(result.condition == .exact, "input \(values)")
      for theta in result.angles {
        let reached = h.dot(Rotation3(axis: k, angle: theta) * p)
        #expect(abs(reached - d) < 1e-12, "input \(values): \(theta) gives \(reached), not \(d)")
      }
      let nearest = result.angles.map { Self.turnGap($0, angle) }.min() ?? .infinity
      #expect(nearest < 1e-5, "input \(values): \(result.angles) misses \(angle)")
    }
  }

  @Test("subproblem 4: a height out of range is flagged least squares; h along the axis is singular")
  func rotationToHeightEdges() {
    let k = Vector3(0, 0, 1)
    let p = Vector3(1, 0, 0.5)
    let far = subproblem4(axis: k, from: p, direction: Vector3(1, 0, 0), height: 2)
    #expect(far.condition == .leastSquares)
    #expect(abs(far.angles[0]) < 1e-15, "the nearest height, 1, is at θ = 0")
    #expect(subproblem4(axis: k, from: p, direction: k, height: 0.5).condition == .singular)
    #expect(subproblem4(axis: k, from: p, direction: k, height: 0.7).condition == .leastSquares)
  }
}
