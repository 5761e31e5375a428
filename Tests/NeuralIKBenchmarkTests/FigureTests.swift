import Foundation
import NeuralIK
import NeuralIKBenchmark
import TestSupport
import Testing

@Suite("The benchmark's SVG figures")
struct FigureTests {
  @Test("the SVG writer's document parses as XML with the shapes drawn, special characters escaped")
  func writerParses() throws {
    var svg = SVGDocument(width: 200, height: 100)
    svg.rect(x: 1, y: 2, width: 3, height: 4, fill: "#ff0000", title: "a <b> & \"c\"")
    svg.rect(x: 1, y: 2, width: -3, height: 4, fill: "#00ff00")
    svg.circle(x: 5, y: 6, radius: 2, fill: "#0000ff", stroke: "#000000", opacity: 0.5)
    svg.circle(x: .nan, y: 6, radius: 2, fill: "#0000ff")
    svg.line(x1: 0, y1: 0, x2: 10, y2: 10, stroke: "#000000", dashed: true)
    svg.polyline([(0, 0), (1, 1), (2, 0)], stroke: "#000000")
    svg.polyline([(0, 0)], stroke: "#000000")
    svg.text("x < y & 'z' > w", x: 10, y: 20, rotated: true)
    let parsed = try #require(SVGElementCounter.parse(svg.xml), "the document is well-formed XML")
    #expect(parsed.rootName == "svg")
    #expect(parsed.rootAttributes["xmlns"] == "http://www.w3.org/2000/svg")
    #expect(parsed.rootAttributes["version"] == "1.1")
    #expect(parsed.rootAttributes["viewBox"] == "0 0 200.00 100.00")
    #expect(parsed.count("rect") == 3, "the background and two rectangles")
    #expect(parsed.count("circle") == 2)
    #expect(parsed.count("line") == 1)
    #expect(parsed.count("polyline") == 1, "a path of one point draws nothing")
    #expect(parsed.count("text") == 1)
    #expect(parsed.count("title") == 1)
    #expect(parsed.texts == ["x < y & 'z' > w"])
    #expect(svg.elementCount == 8)
    #expect(!svg.xml.contains("nan"), "a non-finite coordinate is written as a number")
  }

  @Test("log scales tick every decade and clamp; linear ticks are round and inside the range")
  func scales() {
    let log = AxisScale.logarithmic(0.003, 420)
    // Decades computed by pow: equal to the literals within rounding.
    #expect(abs(log.lower / 1e-3 - 1) < 1e-12 && abs(log.upper / 1e3 - 1) < 1e-12)
    #expect(log.ticks.map(\.label) == ["0.001", "0.01", "0.1", "1", "10", "100", "1000"])
    #expect(abs(log.fraction(1) - 0.5) < 1e-12)
    #expect(log.fraction(0) == 0 && log.fraction(1e9) == 1)
    let linear = AxisScale.linear(-0.23, 0.81)
    #expect(linear.ticks.allSatisfy { (-0.23...0.81).contains($0.value) })
    #expect((4...11).contains(linear.ticks.count))
    #expect(linear.ticks.map(\.label).contains("0.0"))
    #expect(AxisScale.linear(2, 2).upper > 2, "a single value still spans an axis")
  }

  @Test("a figure's file name keeps a robot's name inside the directory: no slash, no leading dot")
  func fileStems() {
    #expect(BenchmarkFigures.fileStem("panda") == "panda")
    #expect(BenchmarkFigures.fileStem("ur5_e-2.0") == "ur5_e-2.0")
    #expect(BenchmarkFigures.fileStem("../../../tmp/x") == "_.._.._tmp_x")
    #expect(BenchmarkFigures.fileStem("nosuchdir/robot") == "nosuchdir_robot")
    #expect(BenchmarkFigures.fileStem("..") == "robot")
    #expect(BenchmarkFigures.fileStem("bras à 6 axes") == "bras___6_axes")
    // A URDF may name its robot with 100,000 characters; the file name must stay within 255 bytes.
    let long = String(repeating: "arm", count: 40_000)
    let stem = BenchmarkFigures.fileStem(long)
    #expect(stem.utf8.count == BenchmarkFigures.maximumStemLength)
    #expect(stem.hasPrefix("armarm"))
    #expect(stem != BenchmarkFigures.fileStem(long + "x"))
    #expect(BenchmarkFigures.fileStem(String(long.prefix(80))) == String(long.prefix(80)))
  }

  @Test("bench figures of the seed arm: three well-formed SVGs with one mark per target, the same for a seed")
  func seedArmFigures() throws {
    let robot = try FixtureArm.seedArm.robot()
    let network = try IKNetwork(
      contentsOf: Fixtures.directory.appending(path: "models/seed-arm.nikm"), for: robot)
    func report(timing: Bool) throws -> BenchmarkReport {
      let targets = try BenchmarkTargets.generate(robot: robot, kind: .position, count: 40, seed: 17)
      var benchmark = Benchmark(robot: robot, network: network, targets: targets)
      benchmark.timing = timing
      benchmark.threads = 1
      benchmark.keepSamples = true
      return try benchmark.run()
    }
    let timed = try report(timing: true)
    #expect(timed.samples.count == timed.rows.count)
    #expect(zip(timed.samples, timed.rows).allSatisfy { $0.samples.count == $1.count })
    let figures = BenchmarkFigures(report: timed, robot: robot, note: "commit test").figures
    #expect(
      figures.map(\.fileName) == [
        "seed-arm-errors.svg", "seed-arm-time-vs-reach.svg", "seed-arm-workspace.svg",
      ])
    let parsed = try figures.map {
      try #require(SVGElementCounter.parse($0.svg.xml), "\($0.fileName) parses")
    }
    let targetsPerRow = timed.samples.map(\.samples.count)
    // Reach: one circle per target of every row; workspace: the hybrid's and the network's
    // reachable targets as circles (those out of reach are squares).
    #expect(parsed[1].count("circle") == targetsPerRow.reduce(0, +))
    #expect(parsed[2].count("circle") == 2 * 40)
    #expect(timed.samples.contains { $0.targetSet == BenchmarkTargets.outOfReachName && !$0.samples.isEmpty })
    for figure in parsed {
      let caption = figure.texts.joined(separator: "\n")
      #expect(caption.contains("Robot seed-arm"))
      #expect(caption.contains("commit test"))
      #expect(caption.contains("random restarts"))
    }
    // Every histogram bar is a titled rectangle; each target falls in exactly one bar.
    let bars = figures[0].svg.xml.split(separator: "\n").filter { $0.contains("<title>") }
    let counted = bars.compactMap { line -> Int? in
      guard let start = line.range(of: "<title>") else { return nil }
      return Int(line[start.upperBound...].prefix { $0.isNumber })
    }
    #expect(counted.reduce(0, +) == targetsPerRow.reduce(0, +))

    let a = try BenchmarkFigures(report: report(timing: false), robot: robot).figures
    let b = try BenchmarkFigures(report: report(timing: false), robot: robot).figures
    #expect(a.map(\.svg.xml) == b.map(\.svg.xml), "untimed figures are the same bytes for the same seed")
    #expect(
      a.map(\.fileName) == ["seed-arm-errors.svg", "seed-arm-workspace.svg"], "no time, no reach figure")
  }

  @Test("a report without samples has no figures; decoding a report leaves its samples empty")
  func noSamples() throws {
    let robot = try FixtureArm.seedArm.robot()
    let targets = try BenchmarkTargets.generate(robot: robot, kind: .position, count: 10, seed: 2)
    let report = try Benchmark(robot: robot, network: nil, targets: targets).run()
    #expect(report.samples.isEmpty)
    #expect(BenchmarkFigures(report: report, robot: robot).figures.isEmpty)
  }
}
