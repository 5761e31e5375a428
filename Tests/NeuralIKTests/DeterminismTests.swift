import Foundation
import NeuralIK
import TestSupport
import Testing

@Suite("The same request, the same answer")
struct DeterminismTests {
  @Test(
    "one by one, in reverse on a fresh solver, and batched on two threads give bit-identical joint values",
    arguments: ["seed-arm", "panda", "ur5"])
  func sameAnswer(arm: String) throws {
    let robot = try RobotModel(contentsOf: Fixtures.robots.appending(path: "\(arm).json"))
    let network = try IKNetwork(
      contentsOf: Fixtures.directory.appending(path: "models/\(arm).nikm"), for: robot)
    var generator = SplitMix64(seed: 80)
    let targets = try (0..<60).map { index -> IKTarget in
      let pose = robot.tipPose(at: robot.randomConfiguration(using: &generator))
      // Every third target pushed out of reach, so the restarts and the verdict run too.
      let position = index % 3 == 0 ? pose.translation * 1.6 : pose.translation
      return network.targetKind == .pose
        ? try IKTarget(position: position, orientation: Quaternion(pose.rotation))
        : try IKTarget(position: position)
    }
    let start = robot.randomConfiguration(using: &generator)
    for from in [nil, start] {
      let solver = try SolverFactory.make(robot: robot, network: network)
      let forward = try targets.map { try solver.solve($0, from: from).best.jointValues.map(\.bitPattern) }
      let fresh = try SolverFactory.make(robot: robot, network: network)
      let backward = try targets.reversed().map {
        try fresh.solve($0, from: from).best.jointValues.map(\.bitPattern)
      }
      let batched = try BatchSolving.solve(
        targets, robot: robot, network: network, specification: SolverSpecification(), from: from, threads: 2
      ).map { $0.best.jointValues.map(\.bitPattern) }
      #expect(forward == Array(backward.reversed()), "\(arm): order changed an answer (start \(from != nil))")
      #expect(forward == batched, "\(arm): batching changed an answer (start \(from != nil))")
    }
  }

  @Test("a request solved twice gives equal results: IKResult compares what was found, not how long it took")
  func equalResults() throws {
    let robot = try FixtureArm.seedArm.robot()
    let solver = try SolverFactory.make(robot: robot)
    let target = try IKTarget(position: robot.tipPosition(at: [0.4, 0.7]))
    let first = try solver.solve(target, from: [0.3, 0.6])
    var second = try solver.solve(target, from: [0.3, 0.6])
    second.seconds = first.seconds + 1
    #expect(first == second)
    #expect(Set([first, second]).count == 1)
    second.iterations += 1
    #expect(first != second)
  }
}
