import Foundation
import NeuralIK
import TestSupport
import Testing

@Suite("Hybrid out of reach")
struct HybridOutOfReachTests {
  @Test(
    "out of reach: the hybrid's answer is the closed-form closest point, and on an arm with fewer joints than the target has dimensions it stops before the lm restarts",
    arguments: FixtureArm.allCases)
  func closestPoint(arm: FixtureArm) throws {
    let robot = try arm.robot()
    let network = try IKNetwork(
      contentsOf: Fixtures.directory.appending(path: "models/\(arm.rawValue).nikm"), for: robot)
    let analytic = try Solvers.make(.analytic, robot)
    let hybrid = try Solvers.make(.hybrid, robot, network: network)
    var stoppedEarly = 0
    let targets = try LevenbergMarquardtTests.outOfReachTargets(robot, analytic: analytic)
    for target in targets {
      let exact = try analytic.solve(target).best
      let result = try hybrid.solve(target)
      #expect(!result.best.reachable)
      #expect(robot.isWithinLimits(result.best.jointValues))
      #expect(
        abs(result.best.positionError - exact.positionError) < 1e-6,
        "target \(target.position): iterations \(result.iterations), hybrid \(result.best.positionError) at \(result.best.jointValues), closed form \(exact.positionError) at \(exact.jointValues)"
      )
      if result.iterations <= hybrid.specification.proposalIterationBudget { stoppedEarly += 1 }
    }
    // The verdict is for arms that reach only a measure-zero set of targets (the seed arm: 2
    // joints, 3-D positions); without it every one of these targets runs the 9 lm starts.
    if robot.degreesOfFreedom < 3 {
      #expect(
        stoppedEarly * 2 > targets.count, "\(stoppedEarly) of \(targets.count) stopped after the proposals")
    }
  }
}
