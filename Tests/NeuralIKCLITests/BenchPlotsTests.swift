import Foundation
import TestSupport
import Testing

@Suite("neural-ik bench --plots")
struct BenchPlotsTests {
  @Test("bench --plots on the seed arm writes three SVG files into a new directory, captioned with the note")
  func writesFigures() throws {
    let directory = FileManager.default.temporaryDirectory.appending(path: "neural-ik-plots-\(UUID())/nested")
    defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
    let result = try Command.run([
      "bench", "--robot", CommandLineTests.robot, "--model", CommandLineTests.model, "--targets", "10",
      "--plots", directory.path, "--plots-note", "commit abc1234",
    ])
    #expect(result.status == 0, "\(result.errors)")
    let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    #expect(names == ["seed-arm-errors.svg", "seed-arm-time-vs-reach.svg", "seed-arm-workspace.svg"])
    for name in names {
      let text = try String(contentsOf: directory.appending(path: name), encoding: .utf8)
      #expect(
        text.hasPrefix("<?xml") && text.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""), "\(name)")
      #expect(text.contains("commit abc1234"), "\(name) carries the note")
      #expect(result.output.contains("wrote \(directory.appending(path: name).path)"))
    }
  }

  @Test("--plots-note without --plots, and an empty --plots, are usage errors")
  func refusals() throws {
    for extra in [["--plots-note", "x"], ["--plots", ""]] {
      let result = try Command.run(
        ["bench", "--robot", CommandLineTests.robot, "--targets", "10"] + extra)
      #expect(result.status != 0)
      #expect(result.errors.contains("--plots"), "\(result.errors)")
    }
  }

  @Test("a plots path that is a file is a one-line error, not a crash")
  func unwritable() throws {
    let file = FileManager.default.temporaryDirectory.appending(path: "neural-ik-plots-file-\(UUID())")
    try Data("x".utf8).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let result = try Command.run([
      "bench", "--robot", CommandLineTests.robot, "--targets", "10", "--plots", file.path,
    ])
    #expect(result.status != 0)
    #expect(result.errors.contains("plots directory"), "\(result.errors)")
    #expect(!result.errors.contains("Fatal error"))
  }
}
