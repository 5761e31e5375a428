import Foundation
import NeuralIK
import TestSupport
import Testing

@Suite("solve with a pose closed form")
struct ClosedFormCommandTests {
  @Test("solve --solver analytic --all on the UR5 prints every configuration, each reaching the pose")
  func ur5AllBranches() throws {
    let robotURL = Fixtures.robots.appending(path: "ur5.json")
    let robot = try RobotModel(contentsOf: robotURL)
    let pose = robot.tipPose(at: [0.3, -1.1, 1.4, -0.9, 1.2, 0.4])
    let q = Quaternion(pose.rotation)
    let target = [pose.translation.x, pose.translation.y, pose.translation.z, q.w, q.x, q.y, q.z]
      .map { "\($0)" }.joined(separator: ",")
    let result = try Command.run([
      "solve", "--robot", robotURL.path, "--solver", "analytic", "--target", target, "--all", "--json",
    ])
    #expect(result.status == 0, "\(result.errors)")
    let report = try JSONDecoder().decode(SolveReport.self, from: Data(result.output.utf8))
    // Every branch (up to 8), each joint's ±2π range giving two copies: a multiple of 64.
    #expect(report.solutions.count >= 64 && report.solutions.count % 64 == 0, "\(report.solutions.count)")
    #expect(report.solutions.allSatisfy { $0.reachable })
  }
}
