import Foundation
import NeuralIKBenchmark
import TestSupport
import Testing

@testable import NeuralIK

@Suite("The elastic band along a seven-joint arm's self-motion")
struct SelfMotionBandTests {
  @Test(
    "band: along smooth paths the summed squared steps fall, the first answer stays, every answer still reaches inside the limits",
    arguments: [CommittedArm.panda, .iiwa14])
  func bandLowersTheEnergy(arm: CommittedArm) throws {
    let robot = try arm.robot()
    let network = try IKNetwork(contentsOf: arm.modelURL, for: robot)
    let solver = try SolverFactory.make(robot: robot, network: network)
    guard case .hybrid(let hybrid) = solver.engine else {
      Issue.record("not a hybrid")
      return
    }
    let distance = JointDistance(robot: robot)
    let band = SelfMotionBand(lm: hybrid.lm, distance: distance)
    func energy(_ path: [[Double]]) -> Double {
      zip(path, path.dropFirst()).reduce(0) { $0 + pow(distance($1.0, $1.1), 2) }
    }
    let generator = SmoothPaths(robot: robot)
    var lowered = 0
    let paths = generator.generate(count: 6, kind: .pose)
    for path in paths {
      // Each answer from the one before: the band's start.
      var followed: [[Double]] = []
      var previous = path.configurations[0]
      for target in path.targets {
        previous = try solver.solve(target, from: previous).best.jointValues
        followed.append(previous)
      }
      let banded = band.smoothed(followed, targets: path.targets, until: Deadline(seconds: nil))
      #expect(banded.count == followed.count && banded[0] == followed[0], "seed \(generator.seed)")
      #expect(energy(banded) <= energy(followed), "seed \(generator.seed)")
      if energy(banded) < energy(followed) { lowered += 1 }
      for (q, target) in zip(banded, path.targets) {
        let solution = Solution(
          robot: robot, target: target, jointValues: q, tolerance: .exact, iterations: 0, solver: .hybrid)
        #expect(solution.reachable && robot.isWithinLimits(q), "seed \(generator.seed)")
      }
    }
    // Least-motion answers drift along the self-motion: the band has energy to take out on most paths.
    #expect(lowered * 2 >= paths.count, "lowered on \(lowered) of \(paths.count)")
  }
}
