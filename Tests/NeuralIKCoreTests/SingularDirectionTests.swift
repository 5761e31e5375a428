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

  @Test("none for an exactly singular, non-finite, empty or tall matrix")
  func refusals() {
    #expect(SingularDirection(jacobian: [1, 2, 3, 2, 4, 6], rows: 2, columns: 3) == nil)
    #expect(SingularDirection(jacobian: [1, .nan, 3, 2, 4, 6], rows: 2, columns: 3) == nil)
    #expect(SingularDirection(jacobian: [0, 0, 0], rows: 1, columns: 3) == nil)
    #expect(SingularDirection(jacobian: [], rows: 0, columns: 3) == nil)
    #expect(SingularDirection(jacobian: [1, 2, 3, 4, 5, 6], rows: 3, columns: 2) == nil)
  }
}
