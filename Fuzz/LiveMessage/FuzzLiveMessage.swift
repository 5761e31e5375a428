import Dispatch
import Foundation
import FuzzSupport
import NeuralIK
import NeuralIKServer

/// `/api/live` WebSocket text messages, without a socket: `LiveSession.reply(to:)`, which decodes,
/// solves and answers. Every input gets a JSON reply (an answer or an error), never a crash.
func fuzz(_ data: Data) {
  let text = String(decoding: data, as: UTF8.self)
  let replied = DispatchSemaphore(value: 0)
  let reply = LiveFuzz.Reply()
  Task {
    reply.text = await LiveFuzz.session.reply(to: text)
    replied.signal()
  }
  replied.wait()
  let parsed = reply.text.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) }
  precondition(parsed is [String: Any], "the reply is not a JSON object: \(reply.text ?? "none")")
}

enum LiveFuzz {
  static let session: LiveSession = {
    let url = FuzzInput.fixtures.appending(path: "robots/seed-arm.json")
    guard let robot = try? RobotModel(contentsOf: url),
      let service = try? SolveService(robot: robot, network: nil)
    else { preconditionFailure("cannot serve \(url.path)") }
    return LiveSession(service: service)
  }()

  /// The reply, handed from the task to the waiting fuzzer thread (the semaphore orders the two).
  final class Reply: @unchecked Sendable {
    var text: String?
  }
}

#if NEURALIK_FUZZING
  /// The entry point SwiftPM links as `main`: libFuzzer's driver.
  @_cdecl("FuzzLiveMessage_main")
  func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzz)
  }
#else
  @main enum Replay {
    static func main() { FuzzInput.replay(fuzz) }
  }
#endif
