import Foundation

/// The `neural-ik` executable that SwiftPM built beside this test bundle, run as a user would.
struct Command {
  let status: Int32
  let output: String
  let errors: String

  static var executable: URL {
    let directory = Bundle.main.bundleURL.deletingLastPathComponent()
    let beside = directory.appending(path: "neural-ik")
    if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
    // Some runners start tests from the bundle's own folder.
    return Bundle.main.bundleURL.appending(path: "neural-ik")
  }

  /// Runs `neural-ik arguments…` to its end (at most `timeout` seconds).
  static func run(_ arguments: [String], timeout: Double = 120) throws -> Command {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(timeout)
    // Read while it runs: a full pipe would block the child.
    let group = DispatchGroup()
    nonisolated(unsafe) var outData = Data()
    nonisolated(unsafe) var errData = Data()
    group.enter()
    DispatchQueue.global().async {
      outData = out.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    group.enter()
    DispatchQueue.global().async {
      errData = err.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
    if process.isRunning { process.terminate() }
    process.waitUntilExit()
    group.wait()
    return Command(
      status: process.terminationStatus, output: String(decoding: outData, as: UTF8.self),
      errors: String(decoding: errData, as: UTF8.self))
  }
}
