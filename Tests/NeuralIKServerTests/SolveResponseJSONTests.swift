import Foundation
import NeuralIK
import NeuralIKServer
import TestSupport
import Testing

/// The solve answers' own JSON writer against `JSONEncoder`, byte for byte.
@Suite("Solve answers' JSON")
struct SolveResponseJSONTests {
  /// `response` as the generic encoder writes it (the synthesized `Encodable`, keys sorted).
  struct Generic: Encodable {
    let response: SolveResponse
    func encode(to encoder: any Encoder) throws { try response.encode(to: encoder) }
  }

  static func check(_ response: SolveResponse, _ comment: Comment) {
    let fast = JSONResponse.encode(response)
    let generic = JSONResponse.encode(Generic(response: response))
    #expect(
      String(decoding: fast, as: UTF8.self) == String(decoding: generic, as: UTF8.self), comment)
  }

  @Test(
    "every arm's answers, best only and every branch, with and without an id, equal the generic encoder's")
  func equalsGenericEncoder() throws {
    for arm in [CommittedArm.seedArm, .arm3DoF, .panda, .ur5] {
      let robot = try arm.robot()
      let network = try IKNetwork(contentsOf: arm.modelURL, for: robot)
      let service = try SolveService(robot: robot, network: network)
      var generator = SplitMix64(seed: 31)
      for index in 0..<20 {
        let pose = robot.tipPose(at: robot.randomConfiguration(using: &generator))
        let turn = Quaternion(pose.rotation)
        var target = [pose.translation.x, pose.translation.y, pose.translation.z]
        if network.targetKind == .pose { target += [turn.w, turn.x, turn.y, turn.z] }
        // Every fourth target far out of reach: unreached answers and their gaps.
        if index % 4 == 3 { target[0] += 5 }
        var request = SolveRequest(target: target)
        request.all = index % 2 == 0
        request.id = index % 3 == 0 ? nil : index * 1_000_003
        // Some measured from a start, half of those with a step limit: each result's step and flag.
        if index % 5 == 1 {
          request.start = robot.middleConfiguration
          request.maxStep = index % 2 == 0 ? 0.5 : nil
        }
        var response = try service.solve(request)
        response.id = request.id
        Self.check(response, "\(arm) target \(index)")
      }
      // A path: its steps, flags, and whether its relaxation ran out of time.
      let path = (0..<4).map { step in
        let q = robot.middleConfiguration.map { $0 + 0.05 * Double(step) }
        let pose = robot.tipPose(at: robot.clampedToLimits(q))
        let turn = Quaternion(pose.rotation)
        return [pose.translation.x, pose.translation.y, pose.translation.z]
          + (network.targetKind == .pose ? [turn.w, turn.x, turn.y, turn.z] : [])
      }
      var request = SolveRequest(targets: path, start: robot.middleConfiguration)
      request.path = true
      request.maxStep = 0.01
      for id in [nil, 7] {
        var response = try service.solve(request)
        response.id = id
        #expect(response.relaxationTimedOut != nil)
        Self.check(response, "\(arm) path, id \(id as Any)")
      }
    }
  }

  @Test("strings are escaped and numbers written as the generic encoder does, non-finite ones as strings")
  func escapesAndNumbers() throws {
    let robot = try CommittedArm.seedArm.robot()
    let service = try SolveService(robot: robot, network: nil)
    var response = try service.solve(SolveRequest(target: [0.1, 0.1, 0.5]))
    let control = (0..<32).map { String(UnicodeScalar(UInt8($0))) }.joined()
    response.solver = "quote \" backslash \\ slash / \(control) é 漢 🤖"
    response.id = Int.max
    var result = response.results[0]
    result.gap = .infinity
    result.milliseconds = -.infinity
    result.closestPoint = [.nan, 0, -0.0, 1e-7, 1e21, 1e15, 1e16, 0.1, 123_456.789, .leastNonzeroMagnitude]
    result.solutions[0].solution.jointNames = ["a\"b", "c\\d", "\u{7F}"]
    result.solutions[0].solution.rotationErrorDegrees = 12.5
    result.solutions[0].solution.iterations = -3
    response.results = [result, result]
    Self.check(response, "edge values")
  }
}
