import Foundation
import PropertyBased
import TestSupport
import Testing

@testable import NeuralIKCore

@Suite("Whole numbers without libm: the same as Double.rounded")
struct WholeNumbersTests {
  @Test("wholeBelow, wholeAbove and wholeNearest equal rounded(.down), (.up) and ()")
  func agreeWithRounded() async {
    let values = Gen.double(in: -1e6...1e6)
    await propertyCheck(seed: 0x400E, count: 20_000, input: values) { x in
      #expect(x.wholeBelow == x.rounded(.down), "x = \(x)")
      #expect(x.wholeAbove == x.rounded(.up), "x = \(x)")
      #expect(x.wholeNearest == x.rounded(), "x = \(x)")
    }
    let edges: [Double] = [
      0, -0.0, 0.5, -0.5, 1.5, -2.5, 0.49999999999999994, -0.49999999999999994, 1, -1, 0x1p52, -0x1p52,
      0x1p52 + 1, 0x1p53 - 1, 1e300, -1e300, 4503599627370495.5, -4503599627370495.5,
    ]
    for x in edges {
      #expect(x.wholeBelow == x.rounded(.down), "x = \(x)")
      #expect(x.wholeAbove == x.rounded(.up), "x = \(x)")
      #expect(x.wholeNearest == x.rounded(), "x = \(x)")
    }
    #expect(Double.nan.wholeBelow.isNaN && Double.infinity.wholeAbove == .infinity)
  }
}
