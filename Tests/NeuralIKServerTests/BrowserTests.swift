import Foundation
import Hummingbird
import HummingbirdTesting
import NeuralIK
import NeuralIKServer
import TestSupport
import Testing

@Suite("Web app in headless Chromium", .serialized)
struct BrowserTests {
  /// Where the end-to-end test leaves its screenshot (`make screenshot` copies it to Docs/).
  static let screenshotPath = Fixtures.directory.deletingLastPathComponent().appending(
    path: ".build/e2e/app.png")

  @Test("the page loads without errors, follows scripted and dragged targets, and shows out of reach")
  func endToEnd() async throws {
    let robot = try FixtureArm.seedArm.robot()
    let network = try IKNetwork(
      contentsOf: Fixtures.directory.appending(path: "models/seed-arm.nikm"), for: robot)
    try await withPage(robot: robot, network: network) { driver, url in
      try await run(driver, url: url, robot: robot, network: network)
    }
  }

  @Test("on the Panda's pose model the page sends poses: turned target, exact answer, both axes drawn")
  func poseTargets() async throws {
    let robot = try RealArm.panda.fromJSON()
    let url = try #require(RealArm.panda.modelURL, "Fixtures/models/panda.nikm is missing")
    let network = try IKNetwork(contentsOf: url, for: robot)
    try await withPage(robot: robot, network: network) { driver, url in
      try await driver.open(url)
      try await waitUntilReady(driver)
      let kind = try await driver.execute("return window.neuralIK.state.targetKind;") as? String
      #expect(kind == "pose")
      // The page opens on a reachable target, answered exactly.
      let opened = try await state(driver)
      #expect(opened.status == "reachable", "the first target: \(opened.status), \(opened.positionError) m")
      // The first solve already went out as a pose: seven numbers.
      let sent = try await driver.execute("return window.neuralIK.targetValues();") as? [Double] ?? []
      #expect(sent.count == 7)
      let q = [0.3, -0.4, 0.2, -2.0, 0.5, 1.9, 0.6]
      let pose = robot.tipPose(at: q)
      let orientation = Quaternion(pose.rotation)
      // The page solves from the configuration it shows: so does the direct solve.
      let before = try await state(driver)
      #expect(before.jointValues.count == robot.degreesOfFreedom)
      let shown = try await setTarget(driver, pose.translation, orientation: orientation)
      let direct = try SolverFactory.make(robot: robot, network: network).solve(
        IKTarget(position: pose.translation, orientation: orientation), from: before.jointValues
      ).best
      #expect(shown.status == "reachable")
      #expect(shown.rotationError < 1e-4, "rotation error \(shown.rotationError)°")
      #expect(zip(shown.jointValues, direct.jointValues).allSatisfy { abs($0 - $1) < 1e-9 })
      // The mode button turns the gizmo into a rotation handle and back.
      let label = try await driver.execute(
        "document.getElementById('mode').click(); return document.getElementById('mode').textContent;")
      #expect((label as? String)?.contains("move") == true)
      let errors = try await driver.execute("return window.neuralIK.errors;") as? [String] ?? ["unreadable"]
      #expect(errors.isEmpty, "console errors: \(errors)")
      let png = try await driver.screenshot()
      try png.write(to: Self.screenshotPath.deletingLastPathComponent().appending(path: "app-panda.png"))
      #expect(png.count > 10_000)
    }
  }

  @Test(
    "on the Panda, a target moved along a smooth path is followed without a joint jump; position-only and axis modes are answered exactly"
  )
  func pandaPathAndPartialTargets() async throws {
    let robot = try RealArm.panda.fromJSON()
    let url = try #require(RealArm.panda.modelURL, "Fixtures/models/panda.nikm is missing")
    let network = try IKNetwork(contentsOf: url, for: robot)
    // A smooth in-limit joint path, so a continuous chain of answers exists: its largest joint
    // change per step is under 0.02 rad, and the page may take up to 0.1 rad.
    var generator = SplitMix64(seed: 0xD7A6)
    let from = robot.randomConfiguration(using: &generator)
    let to = zip(from, robot.randomConfiguration(using: &generator)).map { $0 + 0.25 * ($1 - $0) }
    let steps = 80
    let path = (0...steps).map { step in
      zip(from, to).map { $0 + (Double(step) / Double(steps)) * ($1 - $0) }
    }
    let largestPathStep =
      zip(path, path.dropFirst()).map { a, b in
        zip(a, b).map { abs($0 - $1) }.max() ?? 0
      }.max() ?? 0
    #expect(largestPathStep < 0.02)
    try await withPage(robot: robot, network: network) { driver, url in
      try await driver.open(url)
      try await waitUntilReady(driver)
      var previous: [Double]? = nil
      var jumps: [String] = []
      for (index, q) in path.enumerated() {
        let pose = robot.tipPose(at: q)
        let shown = try await setTarget(driver, pose.translation, orientation: Quaternion(pose.rotation))
        #expect(shown.status == "reachable", "path target \(index): \(shown.status)")
        if let previous {
          let step = zip(previous, shown.jointValues).map { abs($0 - $1) }.max() ?? .infinity
          if step > 0.1 { jumps.append("target \(index): \(step) rad") }
        }
        previous = shown.jointValues
      }
      #expect(jumps.isEmpty, "joint jumps over 0.1 rad between consecutive answers: \(jumps)")

      // Position only: three numbers go out and the answer is exact at 0.1 mm.
      let last = robot.tipPose(at: path[steps])
      let positionOnly = try await setKind(driver, "position")
      let sent = try await driver.execute("return window.neuralIK.targetValues();") as? [Double] ?? []
      #expect(sent.count == 3)
      #expect(positionOnly.status == "reachable")
      #expect(positionOnly.positionError < 1e-4, "position error \(positionOnly.positionError) m")
      #expect(positionOnly.rotationError.isNaN, "a position-only answer has no rotation error")
      // Axis: the tool's z axis along the target's z axis, answered within 0.572° of it.
      let axis = try await setKind(driver, "axis")
      #expect(axis.status == "reachable")
      #expect(axis.positionError < 1e-3 && axis.rotationError < 0.572, "axis answer \(axis)")
      let label = try await driver.execute("return document.getElementById('rotation-label').textContent;")
      #expect(label as? String == "axis error")
      let tip = robot.tipPose(at: axis.jointValues)
      let wanted = last.rotation * Vector3(0, 0, 1)
      #expect((tip.rotation * Vector3(0, 0, 1) - wanted).length < 0.01)
      // The target selector shows on a pose model (its row is a flex box that `hidden` must beat).
      let selectorShown = try await driver.execute(
        "return getComputedStyle(document.getElementById('target-kind-row')).display;")
      #expect(selectorShown as? String != "none")
      // A request the server refuses (the pose closed form given a position) replaces the last
      // answer's status and numbers: they no longer describe the target shown.
      _ = try await driver.execute("document.getElementById('solver').value = 'analytic';")
      let refused = try await setKind(driver, "position")
      #expect(
        refused.status == "error" && refused.statusText.hasPrefix("NOT SOLVED: "), "\(refused.statusText)")
      let gapShown = try await driver.execute("return document.getElementById('gap').textContent;")
      #expect(gapShown as? String == "—")
      let errors = try await driver.execute("return window.neuralIK.errors;") as? [String] ?? ["unreadable"]
      #expect(errors.isEmpty, "console errors: \(errors)")
    }
  }

  /// Serves `robot` on a free port and hands a browser session and the page's address to `body`.
  func withPage(
    robot: RobotModel, network: IKNetwork?, map: ReachabilityMap? = nil,
    specification: SolverSpecification = .init(), window: (width: Int, height: Int) = (1280, 800),
    _ body: @escaping @Sendable (WebDriver, String) async throws -> Void
  ) async throws {
    let service = try SolveService(robot: robot, network: network, specification: specification)
    let app = buildApplication(service: service, map: map, host: "127.0.0.1", port: 0)
    try await app.test(.live) { client in
      let port = try #require(client.port)
      let driver = try await WebDriver(
        port: 20_000 + Int(ProcessInfo.processInfo.processIdentifier % 20_000), width: window.width,
        height: window.height)
      do {
        try FileManager.default.createDirectory(
          at: Self.screenshotPath.deletingLastPathComponent(), withIntermediateDirectories: true)
        try await body(driver, "http://127.0.0.1:\(port)/")
      } catch {
        await driver.quit()
        throw error
      }
      await driver.quit()
    }
  }

  func waitUntilReady(_ driver: WebDriver) async throws {
    let ready = try await driver.executeAsync(
      """
      const done = arguments[arguments.length - 1];
      const start = Date.now();
      (function poll() {
        if (window.neuralIK && window.neuralIK.state.ready && window.neuralIK.state.solveCount > 0) done(true);
        else if (Date.now() - start > 20000) done(false);
        else setTimeout(poll, 50);
      })();
      """)
    #expect(ready as? Bool == true, "the page never showed a first solve")
  }

  private func run(_ driver: WebDriver, url: String, robot: RobotModel, network: IKNetwork) async throws {
    try await driver.open(url)
    try await waitUntilReady(driver)
    let hybrid = try SolverFactory.make(robot: robot, network: network)

    // A position arm has no target selector.
    let selectorShown = try await driver.execute(
      "return getComputedStyle(document.getElementById('target-kind-row')).display;")
    #expect(selectorShown as? String == "none")

    // 1. A reachable target set by script: the panel's joints and the drawn tip match a direct solve.
    let reachable = robot.tipPosition(at: [0.6, 0.8])
    let before = try await state(driver)
    #expect(before.status == "reachable", "the page opens on a reachable target")
    let shown = try await setTarget(driver, reachable)
    let direct = try hybrid.solve(IKTarget(position: reachable), from: before.jointValues).best
    #expect(shown.status == "reachable")
    #expect(
      zip(shown.jointValues, direct.jointValues).allSatisfy { abs($0 - $1) < 1e-9 }, "\(shown.jointValues)")
    #expect(distance(shown.tipDrawn, direct.reachedPosition) < 1e-9)
    let counted = try await driver.execute("return document.getElementById('solutions').textContent;")
    #expect((counted as? String)?.hasPrefix("\(shown.solutions)") == true, "\(String(describing: counted))")
    // A model is loaded: nothing says the network solver is missing.
    let note = try await driver.execute("return document.getElementById('no-model').hidden;")
    #expect(note as? Bool == true)

    // 2. A simulated mouse drag of the gizmo's centre handle moves the target; the answer follows.
    let beforeDrag = try await state(driver)
    let screen = try await driver.execute(
      "return window.neuralIK.screenPosition(window.neuralIK.targetPosition());")
    let point = try #require(screen as? [String: Any])
    let (x, y) = (try #require(point["x"] as? Double), try #require(point["y"] as? Double))
    try await driver.drag(from: (x, y), to: (x + 60, y - 40))
    let dragged = try await waitForSolve(driver, after: beforeDrag.solveCount)
    let moved = try await driver.execute("return window.neuralIK.targetPosition();") as? [Double] ?? []
    #expect(distance(moved, reachable) > 1e-3, "the drag did not move the target")
    #expect(distance(dragged.target, moved) < 1e-9, "the panel shows the answer for another target")
    let draggedDirect = try hybrid.solve(IKTarget(position: Vector3(moved[0], moved[1], moved[2]))).best
    #expect(abs(dragged.positionError - draggedDirect.positionError) < 1e-6)

    // 3. Out of reach behind the arm: the indicator, the closest point and the gap.
    let out = try await setTarget(driver, Vector3(-0.5, 0, 0.3))
    let exact = try SolverFactory.make(robot: robot, specification: .default(.analytic))
      .solve(IKTarget(position: Vector3(-0.5, 0, 0.3))).solutions
    #expect(out.status == "out-of-reach")
    // The seed arm's closed form lists every branch: its miss proves the target out of reach.
    #expect(
      out.verdict == "out_of_reach" && out.statusText.hasPrefix("OUT OF REACH by "), "\(out.statusText)")
    #expect(abs(out.gap - exact[0].positionError) < 1e-6)
    #expect(exact.contains { distance(out.closestPoint, $0.reachedPosition) < 1e-5 })
    // Inside the reach sphere but off the surface the two joints sweep, with lm: a local search
    // whose miss proves nothing, and the page says so.
    _ = try await driver.execute("document.getElementById('solver').value = 'lm';")
    let searched = try await setTarget(driver, Vector3(0.05, 0.05, 0.35))
    #expect(
      searched.verdict == "no_solution_found"
        && searched.statusText.hasPrefix("NO SOLUTION FOUND: closest found "),
      "\(searched.statusText)")
    #expect(searched.solver == "lm")
    _ = try await driver.execute("document.getElementById('solver').selectedIndex = 0;")

    let errors = try await driver.execute("return window.neuralIK.errors;") as? [String] ?? ["unreadable"]
    #expect(errors.isEmpty, "console errors: \(errors)")
    // Leave the app showing a target with two branches, the second as a ghost arm.
    _ = try await driver.execute("document.getElementById('all').checked = true;")
    let twoBranches = try await setTarget(driver, robot.tipPosition(at: [-1.0, 1.3]))
    #expect(twoBranches.status == "reachable" && twoBranches.solutions == 2)
    let png = try await driver.screenshot()
    try png.write(to: Self.screenshotPath)
    #expect(png.count > 10_000)
  }

  struct Shown {
    var status: String
    /// The server's verdict (`reachable`, `out_of_reach`, …).
    var verdict: String
    /// The status line the page shows.
    var statusText: String
    var jointValues: [Double]
    var tipDrawn: [Double]
    var target: [Double]
    var closestPoint: [Double]
    var gap: Double
    var positionError: Double
    /// Degrees; NaN for position targets.
    var rotationError: Double
    var solveCount: Int
    var solutions: Int
    /// The solver the answer names.
    var solver: String
  }

  private func setTarget(_ driver: WebDriver, _ p: Vector3, orientation: Quaternion? = nil) async throws
    -> Shown
  {
    let value = try await driver.executeAsync(
      "const done = arguments[arguments.length - 1]; window.neuralIK.setTarget(arguments[0], arguments[1], arguments[2], arguments[3]).then(() => done(window.neuralIK.state));",
      [p.x, p.y, p.z, orientation.map { [$0.w, $0.x, $0.y, $0.z] as Any } ?? NSNull()])
    return try shown(value)
  }

  private func setKind(_ driver: WebDriver, _ kind: String) async throws -> Shown {
    let value = try await driver.executeAsync(
      "const done = arguments[arguments.length - 1]; window.neuralIK.setTargetKind(arguments[0]).then(() => done(window.neuralIK.state));",
      [kind])
    return try shown(value)
  }

  private func state(_ driver: WebDriver) async throws -> Shown {
    try shown(try await driver.execute("return window.neuralIK.state;"))
  }

  private func waitForSolve(_ driver: WebDriver, after count: Int) async throws -> Shown {
    for _ in 0..<100 {
      let current = try await state(driver)
      // Wait for the answer to the final position: the target shown equals the gizmo's.
      let position = try await driver.execute("return window.neuralIK.targetPosition();") as? [Double] ?? []
      if current.solveCount > count && distance(current.target, position) < 1e-12 { return current }
      try await Task.sleep(for: .milliseconds(100))
    }
    throw WebDriver.Failure(description: "no solve after the drag")
  }

  private func shown(_ value: Any?) throws -> Shown {
    let s = try #require(value as? [String: Any])
    func numbers(_ key: String) -> [Double] {
      (s[key] as? [Any])?.compactMap { ($0 as? NSNumber)?.doubleValue } ?? []
    }
    return Shown(
      status: s["status"] as? String ?? "", verdict: s["verdict"] as? String ?? "",
      statusText: s["statusText"] as? String ?? "", jointValues: numbers("jointValues"),
      tipDrawn: numbers("tipDrawn"),
      target: numbers("target"), closestPoint: numbers("closestPoint"),
      gap: (s["gap"] as? NSNumber)?.doubleValue ?? .nan,
      positionError: (s["positionError"] as? NSNumber)?.doubleValue ?? .nan,
      rotationError: (s["rotationError"] as? NSNumber)?.doubleValue ?? .nan,
      solveCount: (s["solveCount"] as? NSNumber)?.intValue ?? 0,
      solutions: (s["solutions"] as? NSNumber)?.intValue ?? 0, solver: s["solver"] as? String ?? "")
  }

  private func distance(_ a: [Double], _ b: Vector3) -> Double {
    a.count == 3 ? (Vector3(a[0], a[1], a[2]) - b).length : .infinity
  }

  private func distance(_ a: [Double], _ b: [Double]) -> Double {
    a.count == 3 && b.count == 3 ? (Vector3(a[0], a[1], a[2]) - Vector3(b[0], b[1], b[2])).length : .infinity
  }
}
