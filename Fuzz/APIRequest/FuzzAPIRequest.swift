import Foundation
import FuzzSupport
import NeuralIK
import NeuralIKServer

/// `POST /api/solve` bodies, without a server: the router's decoding (`JSONRequest`), the
/// service's validation and solve, and the response's encoding. Every input is an answer or an
/// `APIError` whose status is a 4xx (a 5xx only for a numerical failure), never a crash.
func fuzz(_ data: Data) {
  do {
    let request = try JSONRequest.decode(SolveRequest.self, from: data)
    let response = try APIFuzz.service.solve(request)
    _ = JSONResponse.encode(response)
  } catch {
    precondition((400..<600).contains(error.status), "an API error with status \(error.status)")
  }
}

enum APIFuzz {
  /// The seed arm, which has a closed form: most valid requests are answered in microseconds.
  static let service: SolveService = {
    let url = FuzzInput.fixtures.appending(path: "robots/seed-arm.json")
    guard let robot = try? RobotModel(contentsOf: url),
      let service = try? SolveService(robot: robot, network: nil)
    else { preconditionFailure("cannot serve \(url.path)") }
    return service
  }()
}

#if NEURALIK_FUZZING
  /// The entry point SwiftPM links as `main`: libFuzzer's driver.
  @_cdecl("FuzzAPIRequest_main")
  func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzz)
  }
#else
  @main enum Replay {
    static func main() { FuzzInput.replay(fuzz) }
  }
#endif
