import Foundation
import NeuralIK
import NeuralIKBenchmark
import TestSupport
import Testing

@Suite("The benchmark protocol's targets and scorer")
struct ProtocolTests {
  @Test("protocol targets are FK of in-limit configurations, the same for the same seed")
  func protocolTargets() throws {
    let robot = try RealArm.iiwa14.fromJSON()
    let a = BenchmarkTargets.reachableTargets(robot: robot, count: 50, seed: 5, kind: .pose)
    let b = BenchmarkTargets.reachableTargets(robot: robot, count: 50, seed: 5, kind: .pose)
    let c = BenchmarkTargets.reachableTargets(robot: robot, count: 50, seed: 6, kind: .pose)
    #expect(a == b)
    #expect(a != c)
    #expect(a.allSatisfy { $0.hasOrientation })
  }

  @Test(
    "without a model the benchmark offers the hybrid over a closed form of poses; with the closed form turned off it drops that row and runs"
  )
  func modelLessRows() throws {
    let robot = try RealArm.ur5.fromJSON()
    let targets = BenchmarkTargets(
      reachable: BenchmarkTargets.reachableTargets(robot: robot, count: 5, seed: 5, kind: .pose), origin: "5")
    var benchmark = Benchmark(robot: robot, network: nil, targets: targets)
    #expect(benchmark.kinds == [.hybrid, .levenbergMarquardt, .analytic])
    var specification = SolverSpecification()
    specification.closedForm = false
    benchmark.specification = specification
    #expect(benchmark.kinds == [.levenbergMarquardt, .analytic])
    let report = try benchmark.run()
    #expect(Set(report.rows.map(\.solver)) == ["lm", "analytic"])
  }

  @Test(
    "out-of-reach pose targets lie at least 1 mm outside the reach sphere, half as many as the reachable ones, with unit orientations, the same for the same seed"
  )
  func outOfReachPoses() throws {
    for arm in [RealArm.panda, .iiwa14, .ur5] {
      let robot = try arm.fromJSON()
      let targets = try BenchmarkTargets.generate(robot: robot, kind: .pose, count: 60, seed: 8)
      let sphere = robot.reachSphere
      #expect(targets.outOfReach.count == 30)
      #expect(targets.reachDistances.isEmpty)
      for target in targets.outOfReach {
        #expect(target.kind == .pose)
        #expect(
          sphere.distanceOutside(target.position) > 1e-3, "\(target.position) is within 1 mm of the sphere")
        let q = try #require(target.orientation)
        #expect(abs(q.w * q.w + q.x * q.x + q.y * q.y + q.z * q.z - 1) < 1e-12)
      }
      let again = try BenchmarkTargets.generate(robot: robot, kind: .pose, count: 60, seed: 8)
      #expect(again.outOfReach.map(\.position) == targets.outOfReach.map(\.position))
    }
  }

  @Test(
    "the distance to the reach of a pose target is its position's, on an arm whose closed form takes positions only (a pose model's training set of the planar arm was refused)"
  )
  func poseTargetsDistance() throws {
    let robot = try FixtureArm.planar2Link.robot()
    let reach = try ReachDistance(robot: robot)
    let turned = try #require(Quaternion(w: 0.8, x: 0, y: 0, z: 0.6))
    for position in [Vector3(0.3, 0.2, 0), Vector3(3, 1, 0.5)] {
      let pose = try IKTarget(position: position, orientation: turned)
      #expect(try reach.distance(pose) == reach.distance(IKTarget(position: position)))
    }
    #expect(try reach.distance(IKTarget(position: Vector3(3, 1, 0.5))) > 0.1)
  }

  @Test(
    "without a closed form, the reference distance of an out-of-reach position is never farther than the default lm's (it searches wider, the default's starts among its own, so that lm's row does not meet it by construction)"
  )
  func widerReference() throws {
    // Seven joints asked for positions: no closed form, so `lm` measures the reach.
    let robot = try RealArm.panda.fromJSON()
    let targets = try BenchmarkTargets.generate(robot: robot, kind: .position, count: 40, seed: 11)
    #expect(targets.outOfReach.count == 20)
    let narrow = try ReachDistance(robot: robot)
    for (target, reference) in zip(targets.outOfReach, targets.reachDistances) {
      // Its starts include the default's (one seeded stream), so it is never farther.
      #expect(reference <= (try narrow.distance(target)) + 1e-12, "\(target.position)")
    }
  }

  @Test("the scorer measures errors by FK: exact answers, a 2 mm miss, a 1° miss and a limit violation")
  func scorer() throws {
    let robot = try RealArm.panda.fromJSON()
    var generator = SplitMix64(seed: 3)
    let qs = (0..<4).map { _ in robot.randomConfiguration(using: &generator) }
    let targets = try qs.map { q throws in
      let pose = robot.tipPose(at: q)
      return try IKTarget(position: pose.translation, orientation: Quaternion(pose.rotation))
    }
    // A target 2 mm off the configuration's tip; a target turned 1° about the tip's z axis.
    let shifted = try IKTarget(
      position: targets[1].position + Vector3(0.002, 0, 0), orientation: targets[1].orientation!)
    let turn = Rotation3.exponential(robot.tipPose(at: qs[2]).rotation * Vector3(0, 0, 1 * Double.pi / 180))
    let turned = try IKTarget(
      position: targets[2].position, orientation: Quaternion(turn * robot.tipPose(at: qs[2]).rotation))
    var outside = qs[3]
    outside[0] = robot.movableJoints[0].limits!.upper + 0.1
    let row = try BenchmarkScorer(robot: robot).row(
      solver: "test", targets: [targets[0], shifted, turned, targets[3]],
      measurements: .init(
        jointValues: [qs[0], qs[1], qs[2], outside], seconds: [1e-6, 2e-6, 3e-6, 4e-6], reportedFound: 4))
    #expect(row.count == 4)
    #expect(row.successRate == 0.25, "only the exact answer is within 1 mm and 0.572°")
    #expect(row.successRateLoose == 0.75, "the 2 mm and 1° misses are within 5 mm and 2.865°")
    #expect(row.limitViolations == 1)
    #expect(abs(row.positionMedianMillimetres - 1) < 1e-6, "errors 0, 2, 0 and large: median (0 + 2) / 2")
    // Turning joint 1 (about the base z axis) by δ turns the tip by exactly δ.
    let delta = (outside[0] - qs[3][0]) * 180 / .pi
    #expect(abs(try #require(row.rotationMedianDegrees) - 0.5) < 1e-6, "rotation errors 0, 0, 1° and δ")
    #expect(abs(try #require(row.rotationMeanDegrees) - (1 + delta) / 4) < 1e-6)
    #expect(abs(try #require(row.timeMeanMicroseconds) - 2.5) < 1e-9)
    #expect(row.reportedFound == 4)
  }

  @Test("mismatched measurements are a typed error, not a crash")
  func mismatchedCounts() throws {
    let robot = try RealArm.panda.fromJSON()
    let targets = BenchmarkTargets.reachableTargets(robot: robot, count: 3, seed: 1, kind: .pose)
    #expect(throws: BenchmarkError.self) {
      try BenchmarkScorer(robot: robot).row(
        solver: "test", targets: targets, measurements: .init(jointValues: [robot.middleConfiguration]))
    }
    #expect(throws: BenchmarkError.self) {
      try BenchmarkScorer(robot: robot).row(
        solver: "test", targets: Array(targets.prefix(1)), measurements: .init(jointValues: [[0, 0]]))
    }
  }

  @Test("near-start rows start each target from beside its own configuration, and count far answers")
  func nearStartRows() throws {
    let robot = try RealArm.ur5.fromJSON()
    let network = try IKNetwork(contentsOf: try #require(RealArm.ur5.modelURL), for: robot)
    var benchmark = Benchmark(
      robot: robot, network: network,
      targets: try BenchmarkTargets.generate(robot: robot, kind: .pose, count: 40, seed: 3))
    benchmark.kinds = [.hybrid, .levenbergMarquardt]
    benchmark.nearStartRadius = 0.2
    let report = try benchmark.run()
    let near = try #require(report.rows.first { $0.solver == "hybrid near start" })
    #expect(near.successRate == 1 && near.count == 40)
    let farther = try #require(report.nearStartFartherThanGenerating?["hybrid near start"])
    #expect(farther <= 1, "answers farther than the generating configuration: \(farther)")
    #expect(report.checkLines.contains { $0.contains("hybrid near start") })
  }
}
