import Foundation
import NeuralIK

/// The targets of the protocol (Docs/Benchmark.md): FK of random in-limit configurations under a
/// fixed seed (reachable), and, for position targets, points of the volume around the reach at
/// least 1 mm from it (out of reach), each with its distance to the reach; for pose targets, poses
/// whose position lies outside the reach sphere (out of reach for certain).
public struct BenchmarkTargets: Sendable {
  public static let reachableName = "reachable"
  public static let outOfReachName = "out-of-reach"
  /// Targets per set unless told otherwise.
  public static let defaultCount = 10_000
  /// Seed of the generated targets (differs from training's).
  public static let defaultSeed: UInt64 = 1_000_003
  /// Without a closed form, the reference distance of an out-of-reach position is an `lm` solve
  /// with this many times the default starts and iterations (``ReachDistance``): the default
  /// `lm` row is measured against a wider search than its own.
  public static let referenceSearchFactor = 4

  public var reachable: [IKTarget]
  public var outOfReach: [IKTarget]
  /// Metres from each out-of-reach target to the closest reachable point.
  public var reachDistances: [Double]
  /// Where the targets came from, for the report's context.
  public var origin: String
  /// The configuration each reachable target is the tool of, when generated (empty for a file).
  public var configurations: [[Double]] = []

  public init(
    reachable: [IKTarget], outOfReach: [IKTarget] = [], reachDistances: [Double] = [], origin: String
  ) {
    self.reachable = reachable
    self.outOfReach = outOfReach
    self.reachDistances = reachDistances
    self.origin = origin
  }

  /// `count` reachable targets of `kind` and `count / 2` out of reach, in the box around the
  /// workspace widened by `margin` × its size: for position targets with their distance to the
  /// reach; for pose targets outside the reach sphere (``outOfReachPoses(robot:count:seed:margin:)``).
  /// Measuring a position's distance to the reach takes about 10 ms, so `progress` is told how
  /// many out-of-reach positions are measured, as each is.
  ///
  /// - Throws: ``BenchmarkError/targets(_:)`` when the distance to the reach cannot be measured.
  public static func generate(
    robot: RobotModel, kind: TargetKind, count: Int = defaultCount, seed: UInt64 = defaultSeed,
    margin: Double = TrainingConfig().margin, progress: (Int) -> Void = { _ in }
  ) throws(BenchmarkError) -> BenchmarkTargets {
    let configurations = reachableConfigurations(robot: robot, count: count, seed: seed)
    let reachable = configurations.map { DataGeneration.target(robot: robot, q: $0, poses: kind == .pose) }
    guard kind == .position else {
      let outOfReach = outOfReachPoses(robot: robot, count: count / 2, seed: seed, margin: margin)
      var targets = BenchmarkTargets(
        reachable: reachable, outOfReach: outOfReach,
        origin:
          "\(reachable.count) reachable from random in-limit configurations, \(outOfReach.count) out of reach (positions at least 1 mm outside the reach sphere, random orientations; seed \(seed))"
      )
      targets.configurations = configurations
      return targets
    }
    let reach: ReachDistance
    do {
      reach = try ReachDistance(robot: robot, searchFactor: referenceSearchFactor)
    } catch {
      throw .targets("\(error)")
    }
    var generator = SplitMix64(seed: seed ^ 0x9E37_79B9_7F4A_7C15)
    var outOfReach: [IKTarget] = []
    var distances: [Double] = []
    var attempts = 0
    while outOfReach.count < count / 2 && attempts < count * 20 {
      attempts += 1
      let candidate = DataGeneration.balancedTargets(
        robot: robot, count: 1, reachableShare: 0, margin: margin, poses: false, using: &generator
      ).targets[0]
      let distance: Double
      do {
        distance = try reach.distance(candidate)
      } catch {
        throw .targets("\(error)")
      }
      if distance > 1e-3 {
        outOfReach.append(candidate)
        distances.append(distance)
        progress(outOfReach.count)
      }
    }
    var targets = BenchmarkTargets(
      reachable: reachable, outOfReach: outOfReach, reachDistances: distances,
      origin:
        "\(reachable.count) reachable from random in-limit configurations, \(outOfReach.count) out of reach at least 1 mm from it (seed \(seed))"
    )
    targets.configurations = configurations
    return targets
  }

  /// Pose targets out of reach for certain: positions of the box around the workspace (widened by
  /// `margin` × its size) at least 1 mm outside the reach sphere
  /// (``/NeuralIKCore/RobotModel/reachSphere``), each with a uniformly random orientation. No
  /// distance to the reach comes with them: a pose has no closed-form closest point, so their rows
  /// report the time and the error of the closest answer found.
  static func outOfReachPoses(robot: RobotModel, count: Int, seed: UInt64, margin: Double) -> [IKTarget] {
    let sphere = robot.reachSphere
    guard sphere.radius.isFinite else { return [] }
    var generator = SplitMix64(seed: seed ^ 0xC2B2_AE3D_27D4_EB4F)
    let (lower, upper) = DataGeneration.targetBox(robot: robot, margin: margin, using: &generator)
    var targets: [IKTarget] = []
    var attempts = 0
    while targets.count < count && attempts < count * 50 {
      attempts += 1
      let p = Vector3(
        Double.random(in: lower.x...upper.x, using: &generator),
        Double.random(in: lower.y...upper.y, using: &generator),
        Double.random(in: lower.z...upper.z, using: &generator))
      // Four normal deviates make a uniformly random rotation.
      let normals = (0..<4).map { _ in Self.normal(using: &generator) }
      guard sphere.distanceOutside(p) > 1e-3,
        let orientation = Quaternion(w: normals[0], x: normals[1], y: normals[2], z: normals[3]),
        let target = try? IKTarget(position: p, orientation: orientation)
      else { continue }
      targets.append(target)
    }
    return targets
  }

  /// A standard normal deviate (Box–Muller).
  private static func normal(using generator: inout SplitMix64) -> Double {
    let u = Double.random(in: Double.ulpOfOne..<1, using: &generator)
    let v = Double.random(in: 0..<1, using: &generator)
    return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
  }

  /// Forward kinematics of `count` random in-limit configurations.
  public static func reachableTargets(robot: RobotModel, count: Int, seed: UInt64, kind: TargetKind)
    -> [IKTarget]
  {
    reachableConfigurations(robot: robot, count: count, seed: seed).map {
      DataGeneration.target(robot: robot, q: $0, poses: kind == .pose)
    }
  }

  /// The `count` random in-limit configurations behind ``reachableTargets(robot:count:seed:kind:)``.
  public static func reachableConfigurations(robot: RobotModel, count: Int, seed: UInt64) -> [[Double]] {
    var generator = SplitMix64(seed: seed)
    return (0..<max(0, count)).map { _ in robot.randomConfiguration(using: &generator) }
  }
}
