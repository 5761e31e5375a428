import Foundation
import Hummingbird
import HummingbirdTesting
import NeuralIK
import NeuralIKCore
import NeuralIKServer
import TestSupport
import Testing

@Suite("Clients that stop reading their answer")
struct SendStallTests {
  /// A second for the client to read something, in place of serve's 30 s.
  static let limits = ConnectionLimits(sendStallTimeout: .seconds(1))

  /// The UR5 with its model: with every solution (its joints turn through two full turns, so each
  /// branch comes with its shifted copies) and the arm's polyline for each, one pose's answer is
  /// about 650 KB, far more than the sockets hold.
  static func service() throws -> SolveService {
    let arm = try RealArm.ur5.fromJSON()
    return try SolveService(
      robot: arm, network: try IKNetwork(contentsOf: try #require(RealArm.ur5.modelURL), for: arm))
  }

  /// 12 reachable poses, every solution of each: about 8 MB of answer, where the kernel lets a
  /// loopback socket buffer up to 4 MiB.
  static func batch(for robot: RobotModel) -> String {
    var generator = SplitMix64(seed: 7)
    let targets = (0..<12).map { _ in
      let pose = robot.tipPose(at: robot.randomConfiguration(using: &generator))
      let q = Quaternion(pose.rotation)
      let p = pose.translation
      return "[\(p.x), \(p.y), \(p.z), \(q.w), \(q.x), \(q.y), \(q.z)]"
    }
    return "{\"targets\": [\(targets.joined(separator: ", "))], \"all\": true}"
  }

  @Test(
    "an HTTP answer its client stops reading is dropped with the connection once the stall passes sendStallTimeout"
  )
  func httpAnswer() async throws {
    let service = try Self.service()
    let batch = Self.batch(for: service.robot)
    let app = buildApplication(service: service, host: "127.0.0.1", port: 0, limits: Self.limits)
    try await app.test(.live) { client in
      let port = try #require(client.port)
      let connection = try RawConnection(port: port, receiveBuffer: 4096)
      try await connection.send(
        "POST /api/solve HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(batch.utf8.count)\r\n\r\n\(batch)")
      try await expectDropped(connection)
      // Others are answered as ever.
      let fresh = try RawConnection(port: port)
      try await fresh.send(
        "POST /api/solve HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 27\r\n\r\n{\"target\": [0.2, 0.1, 0.7]}"
      )
      #expect(try await fresh.readResponse(timeout: .seconds(30)).status == 200)
    }
  }

  @Test(
    "a client that reads its answer slowly but steadily is never cut off, however long the whole answer takes"
  )
  func slowReader() async throws {
    let service = try Self.service()
    let batch = Self.batch(for: service.robot)
    // The kernel wakes the server to write more only once a third of the socket's buffer (up to
    // 4 MiB) has drained, so the reads must free that within the timeout: 3 s at 640 KB/s.
    let app = buildApplication(
      service: service, host: "127.0.0.1", port: 0, limits: ConnectionLimits(sendStallTimeout: .seconds(3)))
    try await app.test(.live) { client in
      let connection = try RawConnection(port: try #require(client.port), receiveBuffer: 4096)
      try await connection.send(
        "POST /api/solve HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(batch.utf8.count)\r\n\r\n\(batch)")
      let solving = ContinuousClock.now + .seconds(120)
      while !connection.isReadable && ContinuousClock.now < solving {
        try await Task.sleep(for: .milliseconds(20))
      }
      // Longer than the timeout of reading 64 KB every 0.1 s: the write buffer drains slowly, and
      // the channel stays unwritable for longer than the timeout (which alone closed it before).
      var bytes: [UInt8] = []
      let slow = ContinuousClock.now + .seconds(8)
      while ContinuousClock.now < slow {
        let chunk = try await connection.read(timeout: .milliseconds(20), limit: 64 * 1024) { _ in false }
        bytes += chunk.bytes
        if chunk.closed { break }
        try await Task.sleep(for: .milliseconds(100))
      }
      let rest = try await connection.read(timeout: .seconds(60), limit: 64 << 20) {
        RawResponse.parse(bytes + $0) != nil
      }
      let response = RawResponse.parse(bytes + rest.bytes)?.0
      #expect(response?.status == 200, "\(bytes.count + rest.bytes.count) bytes, closed: \(rest.closed)")
    }
  }

  @Test("a WebSocket reply its client stops reading is dropped with the connection, pongs or not")
  func webSocketReply() async throws {
    let service = try Self.service()
    let batch = Self.batch(for: service.robot)
    let app = buildApplication(service: service, host: "127.0.0.1", port: 0, limits: Self.limits)
    try await app.test(.live) { client in
      let connection = try RawConnection(port: try #require(client.port), receiveBuffer: 4096)
      #expect(try await connection.upgradeToLiveSocket().hasPrefix("HTTP/1.1 101"))
      try await connection.send(Self.maskedFrame(opcode: 0x1, payload: Array(batch.utf8)))
      // Unsolicited pongs (RFC 6455 §5.5.3) kept such a client from ever timing out.
      for _ in 0..<6 {
        try await Task.sleep(for: .milliseconds(500))
        try await connection.send(Self.maskedFrame(opcode: 0xA, payload: []))
      }
      try await expectDropped(connection)
    }
  }

  /// Waits for the answer to start arriving, and then well past the stall timeout without
  /// reading; then reads: what arrives must end with the server's close, short of a whole answer.
  private func expectDropped(_ connection: RawConnection) async throws {
    let solving = ContinuousClock.now + .seconds(120)
    while !connection.isReadable && ContinuousClock.now < solving {
      try await Task.sleep(for: .milliseconds(20))
    }
    try #require(connection.isReadable, "no answer began within 120 s")
    try await Task.sleep(for: .seconds(3))
    let received = try await connection.readUntilClosed(timeout: .seconds(20), limit: 64 << 20)
    let (closed, count) = (received.closed, received.bytes.count)
    #expect(closed, "the server still held the connection, with \(count) bytes sent")
    #expect(count < 6_000_000, "\(count) bytes arrived: the answer was not dropped")
  }

  /// A client's frame, masked as RFC 6455 §5.3 requires.
  static func maskedFrame(opcode: UInt8, payload: [UInt8]) -> [UInt8] {
    let mask: [UInt8] = [0x12, 0x34, 0x56, 0x78]
    var frame: [UInt8] = [0x80 | opcode]
    if payload.count < 126 {
      frame.append(0x80 | UInt8(payload.count))
    } else if payload.count < 1 << 16 {
      frame += [0x80 | 126] + (0..<2).reversed().map { UInt8(truncatingIfNeeded: payload.count >> (8 * $0)) }
    } else {
      frame += [0x80 | 127] + (0..<8).reversed().map { UInt8(truncatingIfNeeded: payload.count >> (8 * $0)) }
    }
    frame += mask
    frame += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
    return frame
  }
}
