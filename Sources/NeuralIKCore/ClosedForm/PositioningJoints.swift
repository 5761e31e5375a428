import Foundation

/// The first three joints of a chain, placing one point: finds (θ₀, θ₁, θ₂) with
/// `E₀ E₁ E₂ · point = target`, when two consecutive axes meet or are parallel.
///
/// Two meeting axes keep distances to their common point (subproblem 3 for the third angle,
/// subproblem 2 for the pair); two parallel axes keep heights along them (subproblem 4, then a
/// planar two-link step: subproblem 3 and 1). Up to four branches.
enum PositioningJoints: Sendable {
  /// Axes 0 and 1 meet at `center`.
  case firstPairMeets(center: Vector3)
  /// Axes 1 and 2 meet at `center`.
  case secondPairMeets(center: Vector3)
  /// Axes 0 and 1 are parallel.
  case firstPairParallel
  /// Axes 1 and 2 are parallel.
  case secondPairParallel

  /// The structure of `chain`'s first three joints, or `nil` when it has none of the four.
  static func detect(_ chain: ScrewChain, scale: Double) -> PositioningJoints? {
    let (k, o) = (chain.axes, chain.points)
    // A third axis through the same point could not change the distance to it: no positioning.
    if let center = AxisLines.intersection(o[0], k[0], o[1], k[1], scale: scale),
      !AxisLines.contains(o[2], k[2], center, scale: scale)
    {
      return .firstPairMeets(center: center)
    }
    if let center = AxisLines.intersection(o[1], k[1], o[2], k[2], scale: scale),
      !AxisLines.contains(o[0], k[0], center, scale: scale)
    {
      return .secondPairMeets(center: center)
    }
    // Three parallel axes can only move the point in a plane, so they are not a positioning set.
    if AxisLines.parallel(k[0], k[1]), !AxisLines.parallel(k[1], k[2]) { return .firstPairParallel }
    if AxisLines.parallel(k[1], k[2]), !AxisLines.parallel(k[0], k[1]) { return .secondPairParallel }
    return nil
  }

  /// Every (θ₀, θ₁, θ₂) putting `point` on `target`, as the first three angles of a branch.
  func solve(_ chain: ScrewChain, point w: Vector3, target: Vector3) -> [AngleTriple] {
    let (k, o) = (chain.axes, chain.points)
    var result: [AngleTriple] = []
    switch self {
    case .firstPairMeets(let c):
      let third = subproblem3(axis: k[2], from: w - o[2], to: c - o[2], distance: (target - c).length)
      for theta2 in third.values {
        let moved = chain.moved(w, 2, theta2) - c
        // rot(k₀, θ₀) rot(k₁, θ₁) moved = target − c, i.e. rot(k₀, −θ₀)(target − c) = rot(k₁, θ₁) moved.
        let pair = subproblem2(axis: k[0], from: target - c, axis: k[1], from: moved)
        for (minusTheta0, theta1) in pair.valuePairs {
          result.append(
            AngleTriple(
              -minusTheta0, theta1, theta2, condition: third.condition.combined(with: pair.condition)))
        }
      }
    case .secondPairMeets(let c):
      let first = subproblem3(axis: k[0], from: target - o[0], to: c - o[0], distance: (w - c).length)
      for minusTheta0 in first.values {
        let pulled = chain.moved(target, 0, minusTheta0) - c
        let pair = subproblem2(axis: k[1], from: pulled, axis: k[2], from: w - c)
        for (minusTheta1, theta2) in pair.valuePairs {
          result.append(
            AngleTriple(
              -minusTheta0, -minusTheta1, theta2, condition: first.condition.combined(with: pair.condition)))
        }
      }
    case .firstPairParallel:
      // Joints 0 and 1 keep the height along their axis: joint 2 alone must set it.
      let third = subproblem4(axis: k[2], from: w - o[2], direction: k[0], height: k[0].dot(target - o[2]))
      for theta2 in third.values {
        let moved = chain.moved(w, 2, theta2)
        let second = subproblem3(
          axis: k[1], from: moved - o[1], to: o[0] - o[1], distance: (target - o[0]).length)
        for theta1 in second.values {
          let reached = chain.moved(moved, 1, theta1)
          let first = subproblem1(axis: k[0], from: reached - o[0], to: target - o[0])
          result.append(
            AngleTriple(
              first.values[0], theta1, theta2,
              condition: third.condition.combined(with: second.condition).combined(with: first.condition)))
        }
      }
    case .secondPairParallel:
      // Joints 1 and 2 keep the height along their axis: joint 0 must bring the target to it.
      let first = subproblem4(axis: k[0], from: target - o[0], direction: k[1], height: k[1].dot(w - o[0]))
      for minusTheta0 in first.values {
        let pulled = chain.moved(target, 0, minusTheta0)
        let third = subproblem3(
          axis: k[2], from: w - o[2], to: o[1] - o[2], distance: (pulled - o[1]).length)
        for theta2 in third.values {
          let moved = chain.moved(w, 2, theta2)
          let second = subproblem1(axis: k[1], from: moved - o[1], to: pulled - o[1])
          result.append(
            AngleTriple(
              -minusTheta0, second.values[0], theta2,
              condition: first.condition.combined(with: third.condition).combined(with: second.condition)))
        }
      }
    }
    return result
  }

  var description: String {
    switch self {
    case .firstPairMeets: return "axes 1 and 2 meet"
    case .secondPairMeets: return "axes 2 and 3 meet"
    case .firstPairParallel: return "axes 1 and 2 are parallel"
    case .secondPairParallel: return "axes 2 and 3 are parallel"
    }
  }
}
