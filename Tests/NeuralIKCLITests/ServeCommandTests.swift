import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

@Suite("neural-ik serve's start")
struct ServeCommandTests {
  /// A copy of the seed arm in a folder of its own, with no model beside it.
  private func robotWithoutModel() throws -> (robot: String, directory: URL) {
    let directory = FileManager.default.temporaryDirectory.appending(path: "serve-\(UUID().uuidString)")
    let robots = directory.appending(path: "robots")
    try FileManager.default.createDirectory(at: robots, withIntermediateDirectories: true)
    let robot = robots.appending(path: "arm.json").path
    try FileManager.default.copyItem(
      atPath: Fixtures.robots.appending(path: "seed-arm.json").path, toPath: robot)
    return (robot, directory)
  }

  @Test(
    "a taken port and a missing map are refused at once, before a missing model is trained (which takes minutes), and nothing is written"
  )
  func checksBeforeTraining() throws {
    let (robot, directory) = try robotWithoutModel()
    defer { try? FileManager.default.removeItem(at: directory) }
    let (port, descriptor) = try takenPort()
    defer { close(descriptor) }
    // The network solver needs a model, so without these checks the server would train one.
    let taken = try Command.run(
      ["serve", "--robot", robot, "--port", "\(port)", "--solver", "network"], timeout: 30)
    #expect(taken.status == 1)
    #expect(taken.errors.contains("port \(port) on 127.0.0.1 is already in use"), "\(taken.errors)")
    #expect(!taken.output.contains("training") && !taken.output.contains("NeuralIK:"), "\(taken.output)")
    let missingMap = try Command.run(
      [
        "serve", "--robot", robot, "--port", "1", "--solver", "network",
        "--map", directory.appending(path: "none.nikmap").path,
      ],
      timeout: 30)
    #expect(missingMap.status == 1)
    #expect(missingMap.errors.contains("none.nikmap"), "\(missingMap.errors)")
    #expect(!missingMap.output.contains("training"), "\(missingMap.output)")
    let written = try FileManager.default.contentsOfDirectory(
      atPath: directory.appending(path: "robots").path)
    #expect(written == ["arm.json"], "no model is written: \(written)")
  }

  @Test(
    "a solver that needs no model is served without one, and none is trained: --solver lm, and by default a robot with a closed form, as solve solves it",
    arguments: [(["--solver", "lm"], "lm"), ([], "analytic")])
  func servedWithoutModel(extra: [String], kind: String) throws {
    let (robot, directory) = try robotWithoutModel()
    defer { try? FileManager.default.removeItem(at: directory) }
    let port = try freePort()
    // The server runs until stopped: the run ends at its time limit.
    let served = try Command.run(["serve", "--robot", robot, "--port", "\(port)"] + extra, timeout: 8)
    #expect(served.output.contains("serving \(kind) without one"), "\(served.output) \(served.errors)")
    #expect(served.output.contains("NeuralIK: seed-arm on http://127.0.0.1:\(port)/"), "\(served.output)")
    #expect(!served.output.contains("training"), "\(served.output)")
    let written = try FileManager.default.contentsOfDirectory(
      atPath: directory.appending(path: "robots").path)
    #expect(written == ["arm.json"], "no model is written: \(written)")
  }

  @Test("a seven-joint arm with a closed form of poses is served by the hybrid over it without a model")
  func poseClosedFormNeedsNoModel() throws {
    let directory = try scratchDirectory("serve-panda")
    defer { try? FileManager.default.removeItem(at: directory) }
    let robot = directory.appending(path: "panda.json").path
    try FileManager.default.copyItem(
      atPath: Fixtures.robots.appending(path: "panda.json").path, toPath: robot)
    let port = try freePort()
    let served = try Command.run(["serve", "--robot", robot, "--port", "\(port)"], timeout: 8)
    #expect(served.output.contains("serving hybrid without one"), "\(served.output) \(served.errors)")
    #expect(!served.output.contains("training"), "\(served.output)")
    // A restriction the robot cannot take is refused at once, not after training a model.
    let locked = try Command.run(
      ["serve", "--robot", robot, "--port", "\(port)", "--solver", "network", "--lock", "nope=0"], timeout: 30
    )
    #expect(locked.status == 1 && locked.errors.contains("nope"), "\(locked.errors)")
    #expect(!locked.output.contains("training"), "\(locked.output)")
  }

  @Test(
    "Ctrl-C stops the server within seconds while a WebSocket client stays connected and never answers the close frame"
  )
  func stopsWithSilentClient() throws {
    let (robot, directory) = try robotWithoutModel()
    defer { try? FileManager.default.removeItem(at: directory) }
    let port = try freePort()
    let process = Process()
    process.executableURL = Command.executable
    process.arguments = ["serve", "--robot", robot, "--port", "\(port)", "--solver", "lm"]
    process.standardOutput = FileHandle.nullDevice
    // The server's log says when it listens: a connection before that could reach whatever else
    // took the port between `freePort()` and the server's bind (once, on CI, the upgrade met no
    // reply at all).
    let log = directory.appending(path: "serve.log")
    try Data().write(to: log)
    process.standardError = try FileHandle(forWritingTo: log)
    try process.run()
    defer { if process.isRunning { process.terminate() } }
    func logText() -> String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }
    let started = Date().addingTimeInterval(120)
    while !logText().contains("listening on 127.0.0.1:\(port)") && process.isRunning && Date() < started {
      Thread.sleep(forTimeInterval: 0.1)
    }
    try #require(
      logText().contains("listening on 127.0.0.1:\(port)"), "the server never listened: \(logText())")
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    var client: Int32 = -1
    let listening = Date().addingTimeInterval(60)
    while Date() < listening {
      client = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
      let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          connect(client, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
        }
      }
      if connected { break }
      close(client)
      client = -1
      Thread.sleep(forTimeInterval: 0.1)
    }
    try #require(client >= 0, "the server never listened")
    defer { close(client) }
    let upgrade = Array(
      ("GET /api/live HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").utf8)
    #expect(send(client, upgrade, upgrade.count, 0) == upgrade.count)
    // A reply that never comes fails the test rather than hanging it (on two loaded cores, well
    // within the server's own 20 s for a request head).
    var wait = timeval(tv_sec: 90, tv_usec: 0)
    _ = setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
    var reply = [UInt8](repeating: 0, count: 512)
    let count = recv(client, &reply, reply.count, 0)
    let failure = count < 0 ? String(cString: strerror(errno)) : "closed"
    #expect(
      String(decoding: reply.prefix(max(0, count)), as: UTF8.self).hasPrefix("HTTP/1.1 101"),
      "reply of \(count) bytes (\(failure)); server running: \(process.isRunning); log: \(logText())")
    // The client now reads nothing and answers nothing: the server's close frame goes unanswered.
    process.interrupt()
    let stopped = Date().addingTimeInterval(20)
    while process.isRunning && Date() < stopped { Thread.sleep(forTimeInterval: 0.05) }
    // Before the session ended itself on shutdown, it ran until the client left (75 s in a trial).
    #expect(!process.isRunning, "still running 20 s after SIGINT")
  }
}
