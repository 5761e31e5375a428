import Foundation

/// The data sets of the seed project, reproducible from a seed.
public enum DataGeneration {
  /// (a) The seed's FK grid: every configuration at `step` per joint (radians or metres), each
  /// labelled with its configuration. Continuous joints span [−π, π).
  ///
  /// - Parameters:
  ///   - robot: the robot.
  ///   - step: the grid spacing per joint, radians or metres, positive.
  ///   - poses: label the targets with their orientation too.
  /// - Returns: one labelled target per grid point.
  public static func fkGrid(robot: RobotModel, step: Double, poses: Bool = false) -> TrainingData {
    precondition(step.isFinite && step > 0, "the grid step must be positive and finite, got \(step)")
    let axes: [[Double]] = robot.movableJoints.map { joint in
      let limits = joint.limits ?? JointLimits(lower: -.pi, upper: .pi - step)
      let count = max(1, Int((limits.range / step).rounded(.down)) + 1)
      return (0..<count).map { limits.lower + Double($0) * step }
    }
    var targets: [IKTarget] = []
    var labels: [[Double]?] = []
    var index = [Int](repeating: 0, count: axes.count)
    while true {
      let q = index.enumerated().map { axes[$0][$1] }
      targets.append(target(robot: robot, q: q, poses: poses))
      labels.append(q)
      var joint = axes.count - 1
      while joint >= 0 {
        index[joint] += 1
        if index[joint] < axes[joint].count { break }
        index[joint] = 0
        joint -= 1
      }
      if joint < 0 { break }
    }
    return TrainingData(targets: targets, labels: labels)
  }

  /// The grid step that gives about `count` grid points.
  ///
  /// A joint narrower than the step takes one value (its lower limit), so the step is spread over
  /// the wider joints only: a pinned joint (lower = upper) or one a hair wide would otherwise
  /// zero the product of the ranges, or shrink the step until the grid held billions of points.
  /// The grid holds at most four times `count` points (the step grows until it does; with
  /// whole points per joint rounded down plus one, a grid over the limits of every fixture arm
  /// holds at most about twice the count, so their grids are as before).
  ///
  /// - Parameters:
  ///   - robot: the robot.
  ///   - count: the number of grid points wanted.
  /// - Returns: the step for ``fkGrid(robot:step:poses:)``, radians or metres, positive and finite.
  public static func gridStep(robot: RobotModel, approximateCount count: Int) -> Double {
    let all = robot.movableJoints.map { $0.limits?.range ?? 2 * .pi }
    let wanted = Double(max(1, count))
    var ranges = all.filter { $0 > 0 }
    var step = 1.0
    // Logarithms: the product of a few wide ranges (a 100 m rail, ±1e6 rad) can overflow.
    while !ranges.isEmpty {
      let logVolume = ranges.reduce(0) { $0 + Foundation.log($1) }
      step = Foundation.exp((logVolume - Foundation.log(wanted)) / Double(ranges.count))
      let wider = ranges.filter { $0 >= step }
      if wider.count == ranges.count { break }
      ranges = wider
    }
    // Each joint's count is rounded down plus one: up to twice the ideal per joint, 2ⁿ in all.
    func points(_ step: Double) -> Double {
      all.reduce(1) { $0 * (($1 / step).rounded(.down) + 1) }
    }
    while points(step) > 4 * wanted { step *= 1.05 }
    return step
  }

  /// (b) The balanced set: `reachableShare` of the targets are FK of uniform random configurations
  /// (on the reach, labelled), the rest uniform in the workspace's bounding box widened by
  /// `margin` × its size (in and around the reach, unlabelled). Pose targets are all FK samples.
  ///
  /// - Parameters:
  ///   - robot: the robot.
  ///   - count: the number of targets.
  ///   - reachableShare: the share drawn as FK samples, 0 to 1.
  ///   - margin: how far around the bounding box volume targets reach, as a fraction of its size.
  ///   - poses: draw pose targets (all FK samples).
  ///   - generator: the seeded generator every draw comes from.
  /// - Returns: `count` targets, labelled where they are FK samples.
  public static func balancedTargets<G: RandomNumberGenerator>(
    robot: RobotModel, count: Int, reachableShare: Double, margin: Double, poses: Bool,
    using generator: inout G
  ) -> TrainingData {
    let (lower, upper) = targetBox(robot: robot, margin: margin, using: &generator)
    var targets: [IKTarget] = []
    var labels: [[Double]?] = []
    targets.reserveCapacity(count)
    for index in 0..<count {
      let onReach = poses || Double(index) < reachableShare * Double(count)
      if onReach {
        let q = robot.randomConfiguration(using: &generator)
        targets.append(target(robot: robot, q: q, poses: poses))
        labels.append(q)
      } else {
        let p = Vector3(
          Double.random(in: lower.x...upper.x, using: &generator),
          Double.random(in: lower.y...upper.y, using: &generator),
          Double.random(in: lower.z...upper.z, using: &generator))
        // Finite and within the targets' bounds by construction: the box comes from forward
        // kinematics, clamped to the farthest target.
        guard let target = try? IKTarget(position: p) else {
          preconditionFailure("a point about a validated robot's reach is a valid target")
        }
        targets.append(target)
        labels.append(nil)
      }
    }
    // Interleave the two kinds so that every mini-batch holds both.
    var order = Array(0..<count)
    order.shuffle(using: &generator)
    return TrainingData(targets: order.map { targets[$0] }, labels: order.map { labels[$0] })
  }

  /// The box that targets in and around the reach are drawn from: the tip's bounding box
  /// (``workspaceBounds(robot:samples:using:)``) widened by `margin` × its size on every side,
  /// within the farthest target (``/NeuralIKCore/IKTarget/maximumCoordinate``), so that every
  /// point in it is a valid target whatever the margin.
  ///
  /// - Parameters:
  ///   - robot: the robot.
  ///   - margin: how far around the bounding box the box reaches, as a fraction of its size.
  ///   - generator: the seeded generator the bounding box's configurations come from.
  /// - Returns: the lower and upper corners, metres in the base frame.
  public static func targetBox<G: RandomNumberGenerator>(
    robot: RobotModel, margin: Double, using generator: inout G
  ) -> (lower: Vector3, upper: Vector3) {
    let bounds = workspaceBounds(robot: robot, using: &generator)
    let size = bounds.upper - bounds.lower
    let farthest = Vector3(repeating: IKTarget.maximumCoordinate)
    let widening = margin.isFinite ? size * max(margin, 0) : farthest
    return (pointwiseMax(bounds.lower - widening, -farthest), pointwiseMin(bounds.upper + widening, farthest))
  }

  /// The bounding box of the tip over random configurations, metres.
  ///
  /// - Parameters:
  ///   - robot: the robot.
  ///   - samples: random configurations to draw.
  ///   - generator: the seeded generator they come from.
  /// - Returns: the lower and upper corners, metres in the base frame.
  public static func workspaceBounds<G: RandomNumberGenerator>(
    robot: RobotModel, samples: Int = 20_000, using generator: inout G
  ) -> (lower: Vector3, upper: Vector3) {
    var lower = Vector3(repeating: .infinity)
    var upper = Vector3(repeating: -.infinity)
    for _ in 0..<samples {
      let p = robot.tipPosition(at: robot.randomConfiguration(using: &generator))
      lower = pointwiseMin(lower, p)
      upper = pointwiseMax(upper, p)
    }
    return (lower, upper)
  }

  /// The target at the tip of configuration `q`: its position, with its orientation when `poses`.
  ///
  /// - Parameters:
  ///   - robot: the robot.
  ///   - q: one value per movable joint (radians or metres).
  ///   - poses: include the orientation.
  /// - Returns: the target that `q` reaches exactly.
  public static func target(robot: RobotModel, q: [Double], poses: Bool) -> IKTarget {
    let pose = robot.tipPose(at: q)
    // FK of a valid configuration is finite, so these initialisers cannot fail.
    if poses, let target = try? IKTarget(position: pose.translation, orientation: Quaternion(pose.rotation)) {
      return target
    }
    guard let target = try? IKTarget(position: pose.translation) else {
      preconditionFailure("forward kinematics of a validated robot is finite")
    }
    return target
  }
}
