import Foundation
import NeuralIKCore
import PropertyBased
import TestSupport
import Testing

@Suite("SingularDirection: the joint direction a Jacobian shrinks most, and how much")
struct SingularDirectionTests {
  /// `J x` for a row-major `rows` × `columns` matrix.
  static func product(_ jacobian: [Double], _ x: [Double], rows: Int, columns: Int) -> [Double] {
    (0..<rows).map { row in (0..<columns).reduce(0) { $0 + jacobian[row * columns + $1] * x[$1] } }
  }

  static func squaredNorm(_ x: [Double]) -> Double { x.reduce(0) { $0 + $1 * $1 } }

  /// An independent reference: every eigenpair of `J Jᵀ` by cyclic Jacobi rotations; the two
  /// smallest eigenvalues (the second `.infinity` for one row) and the joint direction `Jᵀu` of
  /// the smallest, normalised.
  static func reference(_ jacobian: [Double], rows m: Int, columns n: Int)
    -> (smallest: Double, next: Double, direction: [Double])
  {
    var a = [Double](repeating: 0, count: m * m)
    for i in 0..<m {
      for j in 0..<m { a[i * m + j] = (0..<n).reduce(0) { $0 + jacobian[i * n + $1] * jacobian[j * n + $1] } }
    }
    var v = (0..<(m * m)).map { $0 / m == $0 % m ? 1.0 : 0.0 }
    for _ in 0..<100 {
      for p in 0..<m {
        for q in (p + 1)..<m where a[p * m + q] != 0 {
          let theta = (a[q * m + q] - a[p * m + p]) / (2 * a[p * m + q])
          let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
          let c = 1 / (t * t + 1).squareRoot()
          let s = t * c
          for k in 0..<m {
            let (kp, kq) = (a[k * m + p], a[k * m + q])
            a[k * m + p] = c * kp - s * kq
            a[k * m + q] = s * kp + c * kq
          }
          for k in 0..<m {
            let (pk, qk) = (a[p * m + k], a[q * m + k])
            a[p * m + k] = c * pk - s * qk
            a[q * m + k] = s * pk + c * qk
          }
          for k in 0..<m {
            let (kp, kq) = (v[k * m + p], v[k * m + q])
            v[k * m + p] = c * kp - s * kq
            v[k * m + q] = s * kp + c * kq
          }
        }
      }
    }
    let order = (0..<m).sorted { a[$0 * m + $0] < a[$1 * m + $1] }
    let first = order[0]
    var direction = (0..<n).map { k in (0..<m).reduce(0) { $0 + jacobian[$1 * n + k] * v[$1 * m + first] } }
    let length = squaredNorm(direction).squareRoot()
    direction = direction.map { $0 / length }
    return (a[first * m + first], m > 1 ? a[order[1] * m + order[1]] : .infinity, direction)
  }

  @Test(
    "smallest stretch: no unit direction in the row space is shrunk more, and the nearness is its squared stretch over ‖J‖²"
  )
  func smallestStretch() async {
    // Rows, extra columns, entries, a scale for the first row (near-singular matrices, down to a
    // nearness of about 1e-12), and a combination of the rows to compare with.
    let input = zip(
      Gen.int(in: 1...6), Gen.int(in: 0...2), Gen.double(in: -1...1).array(of: 48), Gen.int(in: -5...0),
      Gen.double(in: -1...1).array(of: 6))
    await propertyCheck(seed: 0x51_6D, count: 3000, input: input) { m, extra, entries, exponent, y in
      let n = m + extra
      var jacobian = Array(entries.prefix(m * n))
      for column in 0..<n { jacobian[column] *= pow(10, Double(exponent)) }
      let frobenius = Self.squaredNorm(jacobian)
      guard let singular = SingularDirection(jacobian: jacobian, rows: m, columns: n) else {
        Issue.record("no direction for a \(m) × \(n) matrix \(jacobian)")
        return
      }
      #expect(singular.direction.count == n)
      #expect(abs(Self.squaredNorm(singular.direction) - 1) < 1e-12)
      let stretch = Self.squaredNorm(Self.product(jacobian, singular.direction, rows: m, columns: n))
      #expect(abs(stretch / frobenius - singular.nearness) <= 1e-9 * singular.nearness + 1e-15)
      // Against the reference: never below its smallest eigenvalue (the Rayleigh quotient comes
      // from above), and equal, with the same direction, where the next eigenvalue is at least
      // twice it (near a singularity, where the direction is used); `J Jᵀ`'s rounding, about
      // 1e-16 of ‖J‖², bounds what either can tell.
      let (smallest, next, direction) = Self.reference(jacobian, rows: m, columns: n)
      let referenceNearness = smallest / frobenius
      #expect(singular.nearness >= referenceNearness * (1 - 1e-9) - 1e-14)
      if next >= 2 * smallest {
        #expect(abs(singular.nearness - referenceNearness) <= 1e-9 * referenceNearness + 1e-14)
        if referenceNearness > 1e-8 {
          let cosine = abs(zip(direction, singular.direction).reduce(0) { $0 + $1.0 * $1.1 })
          #expect(cosine >= 1 - 1e-6, "reference \(direction), found \(singular.direction)")
        }
      }
      // Any other unit direction Jᵀy of the row space is stretched at least as much.
      var other = (0..<n).map { column in (0..<m).reduce(0) { $0 + jacobian[$1 * n + column] * y[$1] } }
      let length = Self.squaredNorm(other).squareRoot()
      guard length > 1e-9 else { return }
      other = other.map { $0 / length }
      let otherStretch = Self.squaredNorm(Self.product(jacobian, other, rows: m, columns: n))
      #expect(otherStretch >= stretch * (1 - 1e-9) - 1e-15 * frobenius)
    }
  }

  @Test("threshold: a direction nearer a singularity than the threshold is always given, and the same")
  func threshold() async {
    let input = zip(
      Gen.int(in: 1...6), Gen.int(in: 0...2), Gen.double(in: -1...1).array(of: 48), Gen.int(in: -5...0))
    await propertyCheck(seed: 0x7E_5E, count: 3000, input: input) { m, extra, entries, exponent in
      let n = m + extra
      var jacobian = Array(entries.prefix(m * n))
      for column in 0..<n { jacobian[column] *= pow(10, Double(exponent)) }
      guard let full = SingularDirection(jacobian: jacobian, rows: m, columns: n) else { return }
      for threshold in [1e-6, 1e-4, 1e-3, 1e-2, 0.1] where full.nearness < threshold {
        #expect(SingularDirection(jacobian: jacobian, rows: m, columns: n, nearerThan: threshold) == full)
      }
    }
  }

  @Test("a diagonal matrix: its shortest axis, its squared value over the sum of squares")
  func diagonal() throws {
    let singular = try #require(SingularDirection(jacobian: [1, 0, 0, 0, 0.1, 0], rows: 2, columns: 3))
    #expect(abs(abs(singular.direction[1]) - 1) < 1e-15)
    #expect(abs(singular.nearness - 0.01 / 1.01) < 1e-15)
  }

  @Test("singular to rounding, ruled out by the threshold, or malformed: no direction, each said so")
  func refusals() {
    #expect(SingularDirection.find(jacobian: [1, 2, 3, 2, 4, 6], rows: 2, columns: 3) == .singular)
    #expect(SingularDirection.find(jacobian: [0, 0, 0], rows: 1, columns: 3) == .singular)
    // The identity's nearness is 1/2, and the bound 1 / (trace · trace⁻¹) = 1/4 rules out 0.1.
    #expect(
      SingularDirection.find(jacobian: [1, 0, 0, 1], rows: 2, columns: 2, nearerThan: 0.1)
        == .notNearerThanThreshold)
    #expect(SingularDirection(jacobian: [1, 0, 0, 1], rows: 2, columns: 2, nearerThan: 0.1) == nil)
    #expect(SingularDirection(jacobian: [1, 2, 3, 2, 4, 6], rows: 2, columns: 3) == nil)
    #expect(SingularDirection.find(jacobian: [1, .nan, 3, 2, 4, 6], rows: 2, columns: 3) == nil)
    #expect(SingularDirection.find(jacobian: [1e200, 0, 0, 1], rows: 2, columns: 2) == nil)
    #expect(SingularDirection.find(jacobian: [], rows: 0, columns: 3) == nil)
    #expect(SingularDirection.find(jacobian: [1, 2, 3, 4, 5, 6], rows: 3, columns: 2) == nil)
  }
}
