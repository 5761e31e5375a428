import Foundation

/// Supervised warm-up on joint labels: each sample's label pulls the head nearest to it in joint
/// space (winner-takes-all), so that heads settle on different solution branches before the FK
/// loss takes over. Loss per head: the squared joint-space distance (circular joints wrapped).
struct WarmupLoss: Sendable {
  let layout: JointOutputLayout
  let heads: Int
  let losersShare: Double
  /// A joint given as input (``FreeJoint``), left out of the distance.
  var freeJoint: Int? = nil

  func evaluate(
    outputs: [Float], labels: ArraySlice<[Double]?>, gradient: inout [Float], scale: Double = 1
  ) -> Double {
    let stride = heads * layout.outputsPerHead
    let batch = labels.count
    var total = 0.0
    for (sample, label) in labels.enumerated() {
      guard let label else { continue }
      var differences: [[Double]] = []
      var losses: [Double] = []
      for head in 0..<heads {
        let q = layout.jointValues(outputs, offset: sample * stride + head * layout.outputsPerHead)
        var difference = zip(q, zip(label, layout.kinds)).map { value, pair in
          pair.1 == .circular ? remainder(value - pair.0, 2 * .pi) : value - pair.0
        }
        if let freeJoint { difference[freeJoint] = 0 }
        differences.append(difference)
        losses.append(difference.reduce(0) { $0 + $1 * $1 })
      }
      let best = losses.indices.min { losses[$0] < losses[$1] } ?? 0
      for head in 0..<heads {
        let weight = scale * (head == best ? 1 : losersShare) / Double(batch)
        total += weight * losses[head]
        layout.backward(
          outputs, offset: sample * stride + head * layout.outputsPerHead,
          jointGradient: differences[head].map { 2 * $0 }, weight: weight, into: &gradient,
          gradientOffset: sample * stride + head * layout.outputsPerHead)
      }
    }
    return total
  }
}
