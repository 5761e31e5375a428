import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdWSTesting
import NeuralIK
import NeuralIKServer
import TestSupport
import Testing

/// A bounded load test on loopback: WebSocket clients dragging a target, each request starting
/// from the configuration the last answer showed (as the web app does), and HTTP clients posting
/// batches, all at once. It asserts correctness (no error, no dropped connection, every drag's
/// final target answered) and reports throughput, latency and the process's resident memory; speed
/// is measured, not asserted. `swift test` runs the small load on the seed arm; `make loadtest`
/// (`NEURALIK_LOAD=full`) the full one on the Panda's pose model and copies the report into
/// Docs/LoadTest.md.
@Suite("Load")
struct LoadTests {
  static let reportPath = Fixtures.directory.deletingLastPathComponent().appending(path: ".build/loadtest.md")

  /// One load: the arm served, its clients and how long they run.
  struct Load: Sendable {
    var arm: CommittedArm
    var sockets: Int
    /// Requests per second each WebSocket client sends.
    var rate: Double
    var seconds: Double
    var httpClients: Int
    var batchSize: Int

    /// What CI runs: the seed arm for half a second.
    static let small = Load(
      arm: .seedArm, sockets: 16, rate: 200, seconds: 0.5, httpClients: 4, batchSize: 50)
    /// What `make loadtest` runs: the Panda's pose model, 64 clients dragging at 50 Hz and 8 batch
    /// clients for a minute.
    static let full = Load(arm: .panda, sockets: 64, rate: 50, seconds: 60, httpClients: 8, batchSize: 50)

    /// `NEURALIK_LOAD=full` for ``full``, else ``small``; `NEURALIK_LOAD_SECONDS` runs it longer
    /// (a soak: whether resident memory settles or keeps growing).
    static var chosen: Load {
      let environment = ProcessInfo.processInfo.environment
      var load = environment["NEURALIK_LOAD"] == "full" ? full : small
      if let text = environment["NEURALIK_LOAD_SECONDS"], let seconds = Double(text), seconds > 0,
        seconds <= 3600
      {
        load.seconds = seconds
      }
      return load
    }

    var messages: Int { Int((rate * seconds).rounded()) }
  }

  final class Recorder: @unchecked Sendable {
    private let lock = NSLock()
    var webSocketLatencies: [Double] = []
    var httpLatencies: [Double] = []
    var httpTargets = 0
    var errors: [String] = []
    var finishedDrags = 0

    func record(_ body: (Recorder) -> Void) {
      lock.lock()
      defer { lock.unlock() }
      body(self)
    }
  }

  /// The target of `client` at `time` seconds: the tool point (and, for a pose model, the tool
  /// orientation) of a smooth in-limit joint path, so that a continuous solution exists.
  static func dragTarget(_ robot: RobotModel, poses: Bool, client: Int, time: Double) -> [Double] {
    let q = robot.movableJoints.enumerated().map { index, joint in
      let limits = joint.limits ?? JointLimits(lower: -.pi, upper: .pi)
      let frequency = 0.05 + 0.02 * Double((index + client) % 5)
      let phase = Double(client) * 0.9 + Double(index) * 1.7
      return limits.middle + 0.35 * (limits.upper - limits.lower) / 2
        * sin(2 * .pi * frequency * time + phase)
    }
    let pose = robot.tipPose(at: q)
    let point = [pose.translation.x, pose.translation.y, pose.translation.z]
    guard poses else { return point }
    let turn = Quaternion(pose.rotation)
    return point + [turn.w, turn.x, turn.y, turn.z]
  }

  /// The resident memory of this process (server and clients), in MiB, from /proc.
  static func residentMiB() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
      let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
      let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) })
    else { return .nan }
    return kilobytes / 1024
  }

  @Test("concurrent dragging clients and batch requests: no errors, no dropped connections")
  func load() async throws {
    let load = Load.chosen
    let robot = try load.arm.robot()
    let network = try IKNetwork(contentsOf: load.arm.modelURL, for: robot)
    let poses = network.targetKind == .pose
    let service = try SolveService(robot: robot, network: network)
    let app = buildApplication(service: service, host: "127.0.0.1", port: 0)
    // Reachable batch targets: forward kinematics of seeded random configurations.
    var generator = SplitMix64(seed: 12)
    let batchTargets = (0..<load.batchSize * 8).map { _ in
      let pose = robot.tipPose(at: robot.randomConfiguration(using: &generator))
      let turn = Quaternion(pose.rotation)
      let point = [pose.translation.x, pose.translation.y, pose.translation.z]
      return poses ? point + [turn.w, turn.x, turn.y, turn.z] : point
    }
    let recorder = Recorder()
    recorder.record {
      // Written once now and emptied: reserved pages become resident only when first written, so
      // latencies filling them during the run would show as growth of the server's memory (6 MiB
      // over a 4-minute soak).
      $0.webSocketLatencies = Array(repeating: 0, count: load.sockets * load.messages)
      $0.webSocketLatencies.removeAll(keepingCapacity: true)
      $0.httpLatencies = Array(repeating: 0, count: Int(load.seconds * 1000))
      $0.httpLatencies.removeAll(keepingCapacity: true)
    }
    let residentIdle = Self.residentMiB()
    let start = Date()
    // After a tenth of the run (connections open, solvers built), what the process holds under
    // load: growth from there to the end is what a leak would show.
    let warmedUp = ResidentSample()
    try await app.test(.live) { client in
      try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
          // A leak grows steadily; memory that settles into allocator pools and buffers grows
          // early and stops: a sample at every tenth of the run tells them apart.
          for _ in 1...10 {
            try await Task.sleep(for: .milliseconds(Int(load.seconds * 100)))
            await warmedUp.take()
          }
        }
        for socket in 0..<load.sockets {
          group.addTask {
            try await client.ws("/api/live") { inbound, outbound, _ in
              let sent = SentTimes(count: load.messages)
              let shown = Shown()
              try await withThrowingTaskGroup(of: Void.self) { drag in
                drag.addTask {
                  let began = Date()
                  for id in 1...load.messages {
                    // Paced by the clock, not by sleeps alone: a late send does not slow the drag.
                    let due = Double(id - 1) / load.rate
                    let wait = due - Date().timeIntervalSince(began)
                    if wait > 0 { try await Task.sleep(for: .milliseconds(Int(wait * 1000))) }
                    let target = Self.dragTarget(robot, poses: poses, client: socket, time: due)
                    var body = "{\"id\": \(id), \"target\": \(target)"
                    if let configuration = await shown.configuration {
                      body += ", \"start\": \(configuration)"
                    }
                    await sent.mark(id)
                    try await outbound.write(.text(body + "}"))
                  }
                }
                drag.addTask {
                  for try await message in inbound.messages(maxSize: 1 << 22) {
                    guard case .text(let text) = message else { continue }
                    let reply = LiveReplyScan(text)
                    if let error = reply.error { recorder.record { $0.errors.append(error) } }
                    guard let id = reply.id else { continue }
                    let latency = await sent.latency(id)
                    recorder.record { $0.webSocketLatencies.append(latency) }
                    if let values = reply.jointValues { await shown.show(values) }
                    if id == load.messages {
                      recorder.record { $0.finishedDrags += 1 }
                      break
                    }
                  }
                }
                try await drag.waitForAll()
              }
            }
          }
        }
        for httpClient in 0..<load.httpClients {
          group.addTask {
            var batch = 0
            // Back to back for the run, at least one batch each.
            repeat {
              let first = (httpClient + batch * load.httpClients) * load.batchSize % batchTargets.count
              let targets = (0..<load.batchSize).map { "\(batchTargets[(first + $0) % batchTargets.count])" }
              let body = ByteBuffer(string: "{\"targets\": [\(targets.joined(separator: ","))]}")
              let began = Date()
              try await client.execute(uri: "/api/solve", method: .post, body: body) { response in
                let latency = Date().timeIntervalSince(began) * 1000
                recorder.record {
                  $0.httpLatencies.append(latency)
                  if response.status == .ok {
                    $0.httpTargets += load.batchSize
                  } else {
                    $0.errors.append("HTTP \(response.status.code)")
                  }
                }
              }
              batch += 1
            } while Date().timeIntervalSince(start) < load.seconds
          }
        }
        try await group.waitForAll()
      }
    }
    let seconds = Date().timeIntervalSince(start)
    let residentAfter = Self.residentMiB()
    let timeline = await warmedUp.values
    let residentWarm = timeline.first ?? residentIdle
    #expect(recorder.errors.isEmpty, "errors: \(recorder.errors.prefix(5))")
    #expect(
      recorder.finishedDrags == load.sockets,
      "\(load.sockets - recorder.finishedDrags) connections never got their last answer")
    #expect(recorder.httpLatencies.count >= load.httpClients)
    try writeReport(
      recorder, load: load, seconds: seconds, resident: (residentIdle, residentWarm, residentAfter),
      timeline: timeline)
  }

  private func writeReport(
    _ recorder: Recorder, load: Load, seconds: Double, resident: (idle: Double, warm: Double, after: Double),
    timeline: [Double]
  ) throws {
    let ws = recorder.webSocketLatencies.sorted()
    let http = recorder.httpLatencies.sorted()
    func q(_ values: [Double], _ p: Double) -> String {
      String(format: "%.1f", Quantile.of(sorted: values, p))
    }
    // Measured, never written in: the errors and drops the run recorded.
    let httpErrors = recorder.errors.filter { $0.hasPrefix("HTTP ") }.count
    let webSocketErrors = recorder.errors.count - httpErrors
    let dropped = load.sockets - recorder.finishedDrags
    let requests = load.sockets * load.messages
    let answered = "\(ws.count) (\(String(format: "%.0f", Double(ws.count) / seconds))/s)"
    let growth = 100 * (resident.after - resident.warm) / resident.warm
    let report = """
      The \(load.arm.rawValue) arm with its committed model, the default hybrid solver.

      | load | requests | answered | p50 ms | p99 ms | errors | dropped connections |
      | --- | ---: | ---: | ---: | ---: | ---: | ---: |
      | \(load.sockets) WebSocket clients dragging at \(String(format: "%.0f", load.rate)) Hz | \(requests) | \(answered) | \(q(ws, 0.5)) | \(q(ws, 0.99)) | \(webSocketErrors) | \(dropped) |
      | \(load.httpClients) HTTP clients, batches of \(load.batchSize) reachable targets back to back | \(http.count) | \(recorder.httpTargets) targets (\(String(format: "%.0f", Double(recorder.httpTargets) / seconds))/s) | \(q(http, 0.5)) | \(q(http, 0.99)) | \(httpErrors) | – |

      All at once on loopback for \(String(format: "%.1f", seconds)) s, server and clients in one process. Resident
      memory of that process: \(String(format: "%.1f", resident.idle)) MiB before the server started,
      \(String(format: "%.1f", resident.warm)) MiB a tenth into the run (connections open, solvers built),
      \(String(format: "%.1f", resident.after)) MiB at the end: \(String(format: "%+.1f", growth))% over the run.
      At each tenth of the run, MiB: \(timeline.map { String(format: "%.1f", $0) }.joined(separator: ", ")).
      Each drag request starts from the configuration of the client's last answer, as the web app's
      do. WebSocket requests a client sends while its previous one is being solved are replaced by
      newer ones (latest wins), so "answered" can be below "requests" when the server falls behind
      (here the two differ by \(requests - ws.count), replaced requests and any lost with the errors and
      dropped connections counted in the table); every drag's final target was answered.
      """
    try FileManager.default.createDirectory(
      at: Self.reportPath.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data((report + "\n").utf8).write(to: Self.reportPath)
  }
}

/// What a dragging client reads from a `/api/live` reply: its `id`, its error, and the best
/// solution's joint values. A light scan of the server's sorted-key JSON instead of a whole parse:
/// clients share the server's two cores here, and a full parse of every reply (arm polylines
/// included) cost them as much as the server spent answering.
struct LiveReplyScan {
  var id: Int?
  var error: String?
  var jointValues: [Double]?

  init(_ text: String) {
    let bytes = Array(text.utf8)
    if text.hasPrefix("{\"error\"") {
      // An error reply is small: parse it whole.
      let reply = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
      error = reply?["error"] as? String ?? "unreadable error reply"
      id = reply?["id"] as? Int
      return
    }
    id = Self.value(after: "\"id\":", in: bytes, until: [UInt8(ascii: ","), UInt8(ascii: "}")]).flatMap {
      Int($0)
    }
    jointValues = Self.value(after: "\"joint_values\":[", in: bytes, until: [UInt8(ascii: "]")]).map {
      $0.split(separator: ",").compactMap { Double($0) }
    }
  }

  /// The text between the first `marker` and the next byte of `until`.
  static func value(after marker: String, in bytes: [UInt8], until: Set<UInt8>) -> String? {
    let pattern = Array(marker.utf8)
    guard bytes.count >= pattern.count else { return nil }
    for start in 0...(bytes.count - pattern.count)
    where bytes[start..<start + pattern.count].elementsEqual(pattern) {
      let from = start + pattern.count
      guard let end = bytes[from...].firstIndex(where: { until.contains($0) }) else { return nil }
      return String(decoding: bytes[from..<end], as: UTF8.self)
    }
    return nil
  }
}

/// The process's resident memory at each tenth of the run; the first, when the load has warmed up.
actor ResidentSample {
  private(set) var values: [Double] = []
  func take() { values.append(LoadTests.residentMiB()) }
}

/// The configuration a dragging client shows: its last answer's.
actor Shown {
  private(set) var configuration: [Double]?
  func show(_ values: [Double]) { configuration = values }
}

/// When each drag request left, to measure its latency.
/// Held in an array made up front (ids run from 1 to `count`), so that the clients' own memory
/// does not grow during the run and the resident-memory figures show the server's.
actor SentTimes {
  private var times: [Double]
  init(count: Int) { times = Array(repeating: .nan, count: count + 1) }
  func mark(_ id: Int) { times[id] = Date().timeIntervalSinceReferenceDate }
  func latency(_ id: Int) -> Double {
    guard times.indices.contains(id) else { return .nan }
    return (Date().timeIntervalSinceReferenceDate - times[id]) * 1000
  }
}
