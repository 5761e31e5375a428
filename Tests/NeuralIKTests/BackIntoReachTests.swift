import NeuralIK
import TestSupport
import Testing

@Suite("Back into reach from a corner of the limits")
struct BackIntoReachTests {
  @Test(
    "continuity back into reach: a position target drawn out of reach and back along a line, each solved from the answer before (as the live API and the page do), is followed without a jump of a radian once it is reachable again"
  )
  func backIntoReach() throws {
    let robot = try RealArm.panda.fromJSON()
    let network = try IKNetwork(contentsOf: try #require(RealArm.panda.modelURL), for: robot)
    let solver = try SolverFactory.make(robot: robot, network: network)
    let distance = JointDistance(robot: robot)
    // Out of reach the answers stretch the arm into a corner of its limits (the elbow straight at
    // its limit); 2 mm per step. Lines off the arm's plane of symmetry: in it (y = 0), the
    // answers keep joints 1, 3, 5 and 7 at 0, where the steps back have no direction to bend in
    // (Docs/Solvers.md).
    var jumps: [String] = []
    for (y, z) in [(0.1, 0.4), (-0.2, 0.5), (0.3, 0.2), (0.1, 0.7)] {
      var previous = robot.middleConfiguration
      let steps = 300
      for k in 0..<steps {
        let x = 0.7 + 0.3 * (1 - abs(1 - 2 * Double(k) / Double(steps)))
        let answer = try solver.solve(try IKTarget(position: Vector3(x, y, z)), from: previous).best
        let step = distance(answer.jointValues, previous)
        if k > 0, answer.reachable, step > 1 { jumps.append("line (\(y), \(z)), step \(k): \(step) rad") }
        previous = answer.jointValues
      }
    }
    // Before a start at its limits was moved off them for a second try, the answers on these
    // lines jumped by up to 3 rad.
    #expect(jumps.isEmpty, "\(jumps)")
  }
}
