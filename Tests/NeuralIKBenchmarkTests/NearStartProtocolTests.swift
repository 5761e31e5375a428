import NeuralIK
import NeuralIKBenchmark
import TestSupport
import Testing

@Suite("Near the start, on the protocol's targets")
struct NearStartProtocolTests {
  /// Starts within `radius` of each protocol target's configuration, and the share of answers
  /// (per thousand) allowed to lie farther from the start than that configuration.
  struct Case: Sendable, CustomTestStringConvertible {
    var arm: CommittedArm
    var radius: Double
    /// Targets (`nil`: the protocol's 10,000) and their seed (`nil`: the protocol's).
    var targets: (count: Int, seed: UInt64)?
    var startSeed: UInt64
    var allowedPerThousand: Int
    var testDescription: String { "\(arm.rawValue), starts within \(radius) rad" }
  }

  /// Within 0.2 rad, the starts of `neural-ik bench --near-start 0.2` (Docs/NearStart.md) and the
  /// issue's bar of 1 in 1,000: before the starts next to a singularity were moved along its
  /// direction (Docs/Solvers.md), 13 on the Panda; 3 when this was written. Within 3 rad, a robot
  /// told to go across its workspace: before the search swept the free joint across the answer's
  /// whole distance (a window of ±0.5 rad only), 21% on the Panda at 1,000 targets
  /// (`bench --near-start 3`); 0.8% after, against a bar of 2%.
  static let cases = [CommittedArm.panda, .iiwa14].flatMap { arm in
    [
      Case(arm: arm, radius: 0.2, targets: nil, startSeed: 0x5EED_0F_57A7, allowedPerThousand: 1),
      Case(arm: arm, radius: 3, targets: (300, 0xFA12), startSeed: 0xFA12_57A7, allowedPerThousand: 20),
    ]
  }

  @Test(
    "nearest start: with starts near each protocol target's configuration (within 0.2 rad, at most 1 in 1,000; within 3 rad, 2%), the answers farther from the start than that configuration stay under the bar",
    arguments: cases)
  func nearestStartOnTheProtocol(_ test: Case) throws {
    let robot = try test.arm.robot()
    let network = try IKNetwork(contentsOf: test.arm.modelURL, for: robot)
    let targets =
      try test.targets.map {
        try BenchmarkTargets.generate(robot: robot, kind: .pose, count: $0.count, seed: $0.seed)
      }
      ?? BenchmarkTargets.generate(robot: robot, kind: .pose)
    let hybrid = try SolverFactory.make(robot: robot, network: network)
    let distance = JointDistance(robot: robot)
    // Every joint of the target's configuration moved by a uniform amount in ±radius, clamped
    // into the limits.
    var generator = SplitMix64(seed: test.startSeed)
    var farther: [String] = []
    for (index, q) in targets.configurations.enumerated() {
      let start = robot.clampedToLimits(
        q.map { $0 + Double.random(in: -test.radius...test.radius, using: &generator) })
      let answer = try hybrid.solve(targets.reachable[index], from: start).best
      #expect(answer.reachable, "target \(index)")
      let mine = distance(answer.jointValues, start)
      let generating = distance(q, start)
      if mine > generating + 1e-5 { farther.append("target \(index): \(mine) rad against \(generating)") }
    }
    #expect(
      farther.count <= targets.reachable.count * test.allowedPerThousand / 1000,
      "\(farther.count): \(farther.prefix(5))")
  }
}
