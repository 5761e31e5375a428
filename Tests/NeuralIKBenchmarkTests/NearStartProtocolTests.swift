import NeuralIK
import NeuralIKBenchmark
import TestSupport
import Testing

@Suite("Near the start, on the protocol's targets")
struct NearStartProtocolTests {
  @Test(
    "nearest start: on 10,000 protocol targets with starts within 0.2 rad, at most 1 in 1,000 answers is farther from the start than the target's configuration",
    arguments: [CommittedArm.panda, .iiwa14])
  func nearestStartOnTheProtocol(arm: CommittedArm) throws {
    let robot = try arm.robot()
    let network = try IKNetwork(contentsOf: arm.modelURL, for: robot)
    let targets = try BenchmarkTargets.generate(robot: robot, kind: .pose)
    let hybrid = try SolverFactory.make(robot: robot, network: network)
    let distance = JointDistance(robot: robot)
    // The starts of `neural-ik bench --near-start 0.2` (Docs/NearStart.md): every joint of the
    // target's configuration moved by a uniform amount in ±0.2, clamped into the limits.
    var generator = SplitMix64(seed: 0x5EED_0F_57A7)
    var farther: [String] = []
    for (index, q) in targets.configurations.enumerated() {
      let start = robot.clampedToLimits(q.map { $0 + Double.random(in: -0.2...0.2, using: &generator) })
      let answer = try hybrid.solve(targets.reachable[index], from: start).best
      #expect(answer.reachable, "target \(index)")
      let mine = distance(answer.jointValues, start)
      let generating = distance(q, start)
      if mine > generating + 1e-5 { farther.append("target \(index): \(mine) rad against \(generating)") }
    }
    // Before the starts next to a singularity were moved along its direction (Docs/Solvers.md),
    // 13 on the Panda; 3 when this was written.
    #expect(farther.count <= targets.reachable.count / 1000, "\(farther.count): \(farther.prefix(5))")
  }

  @Test(
    "nearest start from afar: with starts anywhere within 3 rad of each target's configuration (a robot told to go across its workspace), at most 2% of the answers are farther from the start than that configuration",
    arguments: [CommittedArm.panda, .iiwa14])
  func nearestStartFromAfar(arm: CommittedArm) throws {
    let robot = try arm.robot()
    let network = try IKNetwork(contentsOf: arm.modelURL, for: robot)
    let targets = try BenchmarkTargets.generate(robot: robot, kind: .pose, count: 300, seed: 0xFA12)
    let hybrid = try SolverFactory.make(robot: robot, network: network)
    let distance = JointDistance(robot: robot)
    var generator = SplitMix64(seed: 0xFA12_57A7)
    var farther: [String] = []
    for (index, q) in targets.configurations.enumerated() {
      let start = robot.clampedToLimits(q.map { $0 + Double.random(in: -3...3, using: &generator) })
      let answer = try hybrid.solve(targets.reachable[index], from: start).best
      #expect(answer.reachable, "target \(index)")
      let mine = distance(answer.jointValues, start)
      let generating = distance(q, start)
      if mine > generating + 1e-5 { farther.append("target \(index): \(mine) rad against \(generating)") }
    }
    // Before the search swept the free joint across the answer's whole distance (a window of
    // ±0.5 rad only), 21% on the Panda at 1,000 targets (`bench --near-start 3`); 0.8% after.
    #expect(farther.count <= targets.reachable.count / 50, "\(farther.count): \(farther.prefix(5))")
  }
}
