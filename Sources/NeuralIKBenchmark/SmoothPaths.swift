import Foundation
import NeuralIK

/// Seeded smooth joint paths inside the limits, and their targets: forward kinematics of each
/// configuration, so a continuous solution exists along every path (`neural-ik bench --paths`,
/// Docs/Paths.md).
///
/// Each joint swings once, sine-shaped, about a centre drawn inside its limits, with its own
/// phase: `centre + amplitude · sin(2π t + phase)` for `t` in 0...1. The amplitude is 0.4 (radians
/// or metres), less on a joint whose range is narrower than twice that, and the centre keeps the
/// whole swing inside the limits, so no configuration is clamped.
///
/// With ``ridesLimits``, each joint instead swings over 0.95 of its half range about a centre
/// within 0.3 of its range from the middle, clamped at the limits: a trajectory that saturates
/// joints, often two at once, where a target's curve of self-motion inside the limits can shrink
/// to the one configuration that the path runs through.
public struct SmoothPaths: Sendable {
  /// One path: the generating configurations and their targets, in order.
  public struct Path: Sendable {
    /// One value per movable joint per point (radians or metres), inside the limits.
    public var configurations: [[Double]]
    /// The forward kinematics of each configuration: its tool pose, or its tool point.
    public var targets: [IKTarget]
  }

  /// The robot whose joints swing.
  public var robot: RobotModel
  /// Points per path (steps: one fewer); fewer than 2 count as 2.
  public var points = 101
  /// The largest swing of a joint about its centre (radians or metres).
  public var amplitude = 0.4
  /// The seed of the centres and phases: the same seed, the same paths.
  public var seed: UInt64 = 0x5A7_0F_9A75
  /// Whether the joints swing past their limits and ride them (see the type).
  public var ridesLimits = false

  /// The paths of `robot`, with the default points, amplitude and seed.
  ///
  /// - Parameter robot: the robot whose joints swing.
  public init(robot: RobotModel) { self.robot = robot }

  /// `count` seeded paths.
  ///
  /// - Parameters:
  ///   - count: how many paths (none for 0 or less).
  ///   - kind: whether the targets are tool poses or tool points.
  /// - Returns: the paths, each of ``points`` configurations (at least 2) and their targets.
  public func generate(count: Int, kind: TargetKind) -> [Path] {
    let points = max(2, self.points)
    var generator = SplitMix64(seed: seed)
    return (0..<max(0, count)).map { _ in
      let swings = robot.movableJoints.map { joint -> (centre: Double, amplitude: Double, phase: Double) in
        let lower = joint.limits?.lower ?? -.pi
        let upper = joint.limits?.upper ?? .pi
        if ridesLimits {
          let offset = Double.random(in: -0.3...0.3, using: &generator) * (upper - lower)
          return (
            (lower + upper) / 2 + offset, 0.95 * (upper - lower) / 2,
            Double.random(in: 0...(2 * .pi), using: &generator)
          )
        }
        let amplitude = min(self.amplitude, (upper - lower) / 2)
        let centre =
          upper - lower > 2 * amplitude
          ? Double.random(in: (lower + amplitude)...(upper - amplitude), using: &generator)
          : (lower + upper) / 2
        return (centre, amplitude, Double.random(in: 0...(2 * .pi), using: &generator))
      }
      let configurations = (0..<points).map { point -> [Double] in
        let t = Double(point) / Double(points - 1)
        // Rounding at a limit is the only clamp, unless the joints ride their limits.
        return robot.clampedToLimits(swings.map { $0.centre + $0.amplitude * sin(2 * .pi * t + $0.phase) })
      }
      let targets = configurations.map { DataGeneration.target(robot: robot, q: $0, poses: kind == .pose) }
      return Path(configurations: configurations, targets: targets)
    }
  }
}
