import Foundation

/// A minimal W3C WebDriver client for Debian's chromedriver driving headless Chromium with
/// SwiftShader WebGL: only what the end-to-end test needs.
final class WebDriver: @unchecked Sendable {
  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  private let process = Process()
  private let base: String
  private var session = ""

  /// Starts chromedriver on `port` and opens a browser session.
  init(port: Int, width: Int = 1280, height: Int = 800) async throws {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver") else {
      throw Failure(
        description: "chromedriver is missing: apt-get install chromium chromium-driver (make deps does)")
    }
    base = "http://127.0.0.1:\(port)"
    process.executableURL = URL(filePath: "/usr/bin/chromedriver")
    process.arguments = ["--port=\(port)"]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    // chromedriver answers /status once it listens.
    var ready = false
    for _ in 0..<100 where !ready {
      try await Task.sleep(for: .milliseconds(100))
      ready = (try? await request("GET", "/status")) != nil
    }
    guard ready else {
      kill(process.processIdentifier, SIGKILL)
      throw Failure(description: "chromedriver did not start on port \(port)")
    }
    let capabilities: [String: Any] = [
      "capabilities": [
        "alwaysMatch": [
          "browserName": "chrome",
          "goog:chromeOptions": [
            "binary": "/usr/bin/chromium",
            "args": [
              "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--use-angle=swiftshader",
              "--enable-unsafe-swiftshader", "--window-size=\(width),\(height)",
            ],
          ],
        ]
      ]
    ]
    let answer = try await request("POST", "/session", capabilities)
    guard let value = answer["value"] as? [String: Any], let id = value["sessionId"] as? String else {
      kill(process.processIdentifier, SIGKILL)
      throw Failure(description: "no session: \(answer)")
    }
    session = id
  }

  func open(_ url: String) async throws {
    _ = try await request("POST", "/session/\(session)/url", ["url": url])
  }

  /// Runs `script` (its last argument is the callback) and returns what it passes back.
  func executeAsync(_ script: String, _ arguments: [Any] = []) async throws -> Any? {
    let answer = try await request(
      "POST", "/session/\(session)/execute/async", ["script": script, "args": arguments])
    return answer["value"]
  }

  func execute(_ script: String, _ arguments: [Any] = []) async throws -> Any? {
    try await request("POST", "/session/\(session)/execute/sync", ["script": script, "args": arguments])[
      "value"]
  }

  /// A mouse drag from one viewport point to another in `steps` moves.
  func drag(from: (Double, Double), to: (Double, Double), steps: Int = 12) async throws {
    var actions: [[String: Any]] = [
      ["type": "pointerMove", "duration": 0, "x": Int(from.0), "y": Int(from.1), "origin": "viewport"],
      ["type": "pause", "duration": 100],
      ["type": "pointerDown", "button": 0],
    ]
    for step in 1...steps {
      let t = Double(step) / Double(steps)
      actions.append([
        "type": "pointerMove", "duration": 30, "origin": "viewport",
        "x": Int(from.0 + (to.0 - from.0) * t), "y": Int(from.1 + (to.1 - from.1) * t),
      ])
    }
    actions.append(["type": "pointerUp", "button": 0])
    let body: [String: Any] = [
      "actions": [
        ["type": "pointer", "id": "mouse", "parameters": ["pointerType": "mouse"], "actions": actions]
      ]
    ]
    _ = try await request("POST", "/session/\(session)/actions", body)
  }

  func screenshot() async throws -> Data {
    let answer = try await request("GET", "/session/\(session)/screenshot")
    guard let text = answer["value"] as? String, let data = Data(base64Encoded: text) else {
      throw Failure(description: "no screenshot")
    }
    return data
  }

  /// Closes the browser, then chromedriver. chromedriver ignores SIGTERM, so it is asked to shut
  /// down over HTTP and killed if it is still there.
  func quit() async {
    if !session.isEmpty { _ = try? await request("DELETE", "/session/\(session)") }
    _ = try? await request("GET", "/shutdown")
    for _ in 0..<20 where process.isRunning { try? await Task.sleep(for: .milliseconds(100)) }
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
  }

  /// One WebDriver call through curl: URLSession's libcurl layer on Linux fails to read
  /// chromedriver's responses ("Failed writing header"), while the curl tool reads them fine.
  private func request(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws
    -> [String: Any]
  {
    let curl = Process()
    curl.executableURL = URL(filePath: "/usr/bin/curl")
    var arguments = ["-s", "-m", "60", "-X", method, base + path]
    if let body {
      let json = try JSONSerialization.data(withJSONObject: body)
      arguments += [
        "-H", "Content-Type: application/json", "--data-binary", String(decoding: json, as: UTF8.self),
      ]
    }
    curl.arguments = arguments
    let output = Pipe()
    curl.standardOutput = output
    curl.standardError = FileHandle.nullDevice
    try curl.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    curl.waitUntilExit()
    guard curl.terminationStatus == 0,
      let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
    else {
      throw Failure(
        description: "WebDriver \(method) \(path): no JSON answer (curl status \(curl.terminationStatus))")
    }
    if let value = object["value"] as? [String: Any], let error = value["error"] as? String {
      throw Failure(description: "WebDriver \(method) \(path): \(error): \(value["message"] ?? "")")
    }
    return object
  }
}
