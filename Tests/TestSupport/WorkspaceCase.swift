import Foundation
import NeuralIKCore
import PropertyBased

/// A generated target with where it came from, so that a failing case says what it was.
public struct WorkspaceCase: Sendable, CustomStringConvertible {
  /// The region of input space a target was drawn from.
  public enum Region: String, Sendable, CaseIterable {
    /// FK of a configuration uniform within the limits.
    case uniform
    /// FK of a configuration with joints exactly at their limits.
    case atLimits
    /// FK of a configuration with joints at zero (aligned axes: the singular places of most arms).
    case singular
    /// A target needing a half turn from the start: the first joint about π from the middle, and
    /// (pose targets) an orientation a little short of π from a reachable one.
    case nearHalfTurn
    /// A position on or near the boundary of the reach: a reachable one pushed out by up to 1 %,
    /// or one at ``RobotModel/reachBound`` ± 2 %.
    case reachBoundary
    /// Positions from 10 m to the largest coordinate a target may have.
    case huge
    /// Positions within 1 mm of the base origin, down to 1e-12 m, or the origin itself.
    case tiny
  }

  public var region: Region
  /// The target position in the base frame, in metres.
  public var position: Vector3
  /// The target orientation of a pose target; `nil` for a position target.
  public var orientation: Quaternion?
  /// A configuration that reaches the target exactly, when one is known.
  public var generating: [Double]?

  /// The target; the generator keeps every position finite and within
  /// ``IKTarget/maximumCoordinate``, so a throw here is a bug of the generator.
  public func target() throws -> IKTarget {
    guard let orientation else { return try IKTarget(position: position) }
    return try IKTarget(position: position, orientation: orientation)
  }

  public var description: String {
    var text = "\(region) target (\(position.x), \(position.y), \(position.z))"
    if let q = orientation { text += " q (\(q.w), \(q.x), \(q.y), \(q.z))" }
    if let generating { text += " reached at \(generating)" }
    return text
  }
}

extension RobotModel {
  /// Targets of `kind` (`.position` or `.pose`) from every ``WorkspaceCase/Region`` in turn,
  /// biased towards the places solvers break: limits, singularities, half turns, the reach
  /// boundary, huge and tiny targets.
  public func workspaceCases(kind: TargetKind) -> Generator<WorkspaceCase, Shrink.None<WorkspaceCase>> {
    let robot = self
    return Generator { rng in
      let regions = WorkspaceCase.Region.allCases
      let region = regions[Int.random(in: 0..<regions.count, using: &rng)]
      return robot.workspaceCase(region, kind: kind, using: &rng)
    }
  }

  /// Position targets certainly out of reach: beyond ``reachBound`` by 1e-6 m up to the largest
  /// coordinate a target may have.
  public func outOfReachPositions() -> Generator<Vector3, Shrink.None<Vector3>> {
    let bound = reachBound
    return Generator { rng in
      let direction = Self.unitVector(using: &rng)
      let excess = Foundation.pow(
        10, Double.random(in: -6...log10(IKTarget.maximumCoordinate / 2), using: &rng))
      return direction * min(bound + excess, IKTarget.maximumCoordinate)
    }
  }

  /// A configuration biased towards the limits and towards zero, each joint alone: uniform, at
  /// a limit, or at zero (clamped into the limits).
  public func biasedConfiguration(using rng: inout some RandomNumberGenerator) -> [Double] {
    movableJoints.map { joint in
      let limits = joint.limits ?? JointLimits(lower: -.pi, upper: .pi)
      switch Int.random(in: 0..<4, using: &rng) {
      case 0: return limits.lower
      case 1: return limits.upper
      case 2: return limits.clamp(0)
      default: return limits.lower + Double.random(in: 0...1, using: &rng) * limits.range
      }
    }
  }

  func workspaceCase(
    _ region: WorkspaceCase.Region, kind: TargetKind, using rng: inout some RandomNumberGenerator
  ) -> WorkspaceCase {
    var q = randomConfiguration(using: &rng)
    switch region {
    case .uniform:
      break
    case .atLimits:
      q = zip(q, movableJoints).map { value, joint in
        guard let limits = joint.limits, Bool.random(using: &rng) else { return value }
        return Bool.random(using: &rng) ? limits.lower : limits.upper
      }
    case .singular:
      q = zip(q, movableJoints).map { value, joint in
        Bool.random(using: &rng) ? (joint.limits?.clamp(0) ?? 0) : value
      }
    case .nearHalfTurn:
      if let first = movableJoints.firstIndex(where: { $0.type != .prismatic }) {
        let turn = (.pi - Double.random(in: 0...1e-3, using: &rng)) * (Bool.random(using: &rng) ? 1 : -1)
        let middle = middleConfiguration[first]
        q[first] = movableJoints[first].limits?.clamp(middle + turn) ?? middle + turn
      }
      if kind == .pose, Bool.random(using: &rng) {
        // A pose a little short of a half turn from a reachable one: mostly out of reach, and
        // the rotation error's logarithm at its least stable.
        let pose = tipPose(at: q)
        let flip = Rotation3(
          axis: Self.unitVector(using: &rng), angle: .pi - Double.random(in: 0...1e-3, using: &rng))
        return Self.make(
          region, position: pose.translation, rotation: pose.rotation * flip, kind: kind, q: nil)
      }
    case .reachBoundary:
      let pose = tipPose(at: q)
      let position =
        Bool.random(using: &rng)
        ? pose.translation * (1 + Double.random(in: 0...0.01, using: &rng))
        : Self.unitVector(using: &rng) * reachBound * Double.random(in: 0.98...1.02, using: &rng)
      return Self.make(region, position: position, rotation: pose.rotation, kind: kind, q: nil)
    case .huge, .tiny:
      let exponent =
        region == .huge ? Double.random(in: 1...6, using: &rng) : Double.random(in: -12 ... -3, using: &rng)
      let direction = Self.unitVector(using: &rng)
      let scale =
        region == .tiny && Int.random(in: 0..<8, using: &rng) == 0 ? 0 : Foundation.pow(10, exponent)
      // Divided by the largest coordinate, so that 1e6 m stays within the allowed box.
      let largest = max(abs(direction.x), abs(direction.y), abs(direction.z))
      return Self.make(
        region, position: direction / largest * scale, rotation: tipPose(at: q).rotation, kind: kind, q: nil)
    }
    let pose = tipPose(at: q)
    return Self.make(region, position: pose.translation, rotation: pose.rotation, kind: kind, q: q)
  }

  static func make(
    _ region: WorkspaceCase.Region, position: Vector3, rotation: Rotation3, kind: TargetKind, q: [Double]?
  ) -> WorkspaceCase {
    WorkspaceCase(
      region: region, position: position, orientation: kind == .pose ? Quaternion(rotation) : nil,
      generating: q)
  }

  static func unitVector(using rng: inout some RandomNumberGenerator) -> Vector3 {
    while true {
      let v = Vector3(
        Double.random(in: -1...1, using: &rng), Double.random(in: -1...1, using: &rng),
        Double.random(in: -1...1, using: &rng))
      let length = v.length
      if length > 1e-3 && length <= 1 { return v / length }
    }
  }
}
