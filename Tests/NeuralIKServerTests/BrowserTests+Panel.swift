import Foundation
import NeuralIK
import TestSupport
import Testing

extension BrowserTests {
  @Test(
    "a server's standing lock and limits show on the joints' bars, answers keep to them, and the arrow keys and Page Down move the target"
  )
  func envelopeAndKeyboard() async throws {
    let robot = try FixtureArm.seedArm.robot()
    let names = robot.movableJoints.map(\.name)
    var specification = SolverSpecification()
    specification.restrictions = [
      .lock(names[0], at: 0.5), JointRestriction(joint: names[1], lower: 0, upper: 0.5),
    ]
    try await withPage(robot: robot, network: nil, specification: specification) { driver, url in
      try await driver.open(url)
      try await waitUntilReady(driver)
      let joints =
        try await driver.execute(
          """
          return [...document.querySelectorAll('#joints .joint')].map((j) => ({
            held: j.classList.contains('held'), band: j.querySelector('.bar b') !== null,
            limits: j.querySelector('.limits').textContent }));
          """) as? [[String: Any]] ?? []
      #expect(joints.count == 2)
      #expect(joints.allSatisfy { $0["held"] as? Bool == true && $0["band"] as? Bool == true }, "\(joints)")
      #expect((joints.first?["limits"] as? String)?.contains("locked at 29°") == true, "\(joints)")
      #expect((joints.last?["limits"] as? String)?.contains("held to 0° … 29°") == true, "\(joints)")
      // Each key moves the target by 2% of the workspace's size (10% with Shift) along its axis,
      // and the answer shown is that target's, within the envelope.
      for (key, axis, shift) in [("ArrowRight", 0, false), ("ArrowUp", 1, false), ("PageDown", 2, true)] {
        let moved =
          try await driver.executeAsync(
            """
            const [key, shift] = [arguments[0], arguments[1]];
            const done = arguments[arguments.length - 1];
            const before = window.neuralIK.targetPosition();
            const count = window.neuralIK.state.solveCount;
            document.body.dispatchEvent(new KeyboardEvent('keydown', { key, shiftKey: shift, bubbles: true }));
            const start = Date.now();
            (function poll() {
              const s = window.neuralIK.state, now = window.neuralIK.targetPosition();
              const answered = s.solveCount > count && s.target.every((v, i) => Math.abs(v - now[i]) < 1e-12);
              if (answered || Date.now() - start > 20000)
                done({ before, after: now, scale: window.neuralIK.scale(), joints: s.jointValues, answered });
              else setTimeout(poll, 50);
            })();
            """, [key, shift]) as? [String: Any] ?? [:]
        let before = moved["before"] as? [Double] ?? []
        let after = moved["after"] as? [Double] ?? []
        let scale = moved["scale"] as? Double ?? .nan
        #expect(moved["answered"] as? Bool == true, "\(key): no answer to the moved target")
        #expect(before.count == 3 && after.count == 3, "\(moved)")
        guard before.count == 3, after.count == 3 else { continue }
        let step = (0..<3).map { after[$0] - before[$0] }
        let expected = scale * (shift ? 0.1 : 0.02) * (key == "PageDown" ? -1 : 1)
        #expect(
          abs(step[axis] - expected) < 1e-9, "\(key): moved by \(step), expected \(expected) along \(axis)")
        #expect((0..<3).filter { $0 != axis }.allSatisfy { abs(step[$0]) < 1e-12 }, "\(key): \(step)")
        let values = moved["joints"] as? [Double] ?? []
        #expect(
          values.count == 2 && values[0] == 0.5 && values[1] >= 0 && values[1] <= 0.5, "\(key): \(values)")
      }
      // A key meant for a focused control stays its own: the target does not move.
      let kept =
        try await driver.execute(
          """
          const before = window.neuralIK.targetPosition();
          const select = document.getElementById('solver');
          select.focus();
          select.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowUp', bubbles: true }));
          return window.neuralIK.targetPosition().every((v, i) => v === before[i]);
          """) as? Bool
      #expect(kept == true)
      let errors = try await driver.execute("return window.neuralIK.errors;") as? [String] ?? ["unreadable"]
      #expect(errors.isEmpty, "console errors: \(errors)")
    }
  }

  @Test("on a phone-sized window the panel sits below the scene, and the camera frames the target above it")
  func phoneLayout() async throws {
    let robot = try FixtureArm.seedArm.robot()
    try await withPage(robot: robot, network: nil, window: (390, 800)) { driver, url in
      try await driver.open(url)
      try await waitUntilReady(driver)
      let layout =
        try await driver.execute(
          """
          const scene = document.getElementById('scene').getBoundingClientRect();
          const panel = document.getElementById('panel').getBoundingClientRect();
          const canvas = document.querySelector('#scene canvas').getBoundingClientRect();
          const tip = window.neuralIK.screenPosition(window.neuralIK.targetPosition());
          return { sceneBottom: scene.bottom, panelTop: panel.top, canvasHeight: canvas.height,
            sceneHeight: scene.height, tipY: tip.y, tipX: tip.x, width: innerWidth };
          """) as? [String: Any] ?? [:]
      func number(_ key: String) -> Double { (layout[key] as? NSNumber)?.doubleValue ?? .nan }
      #expect(number("sceneBottom") <= number("panelTop") + 1, "the panel covers the scene: \(layout)")
      #expect(
        abs(number("canvasHeight") - number("sceneHeight")) < 1, "the canvas fills the scene: \(layout)")
      #expect(number("tipY") > 0 && number("tipY") < number("panelTop"), "the target is hidden: \(layout)")
      #expect(number("tipX") > 0 && number("tipX") < number("width"), "\(layout)")
    }
  }

  @Test(
    "a joint locked in the panel stays at the value it showed in every answer, a target that needs it moved is then not reached, and clearing the box frees it"
  )
  func lockFromThePanel() async throws {
    let robot = try FixtureArm.seedArm.robot()
    try await withPage(robot: robot, network: nil) { driver, url in
      try await driver.open(url)
      try await waitUntilReady(driver)
      let opened = try #require(
        try await driver.execute("return window.neuralIK.state.jointValues;") as? [Double])
      #expect(opened.count == 2)
      let ticked = try await shownAfter(
        driver, "document.querySelector('#joints input[data-joint=\"0\"]').click();")
      #expect(ticked["locks"] as? [String: Double] == [robot.movableJoints[0].name: opened[0]], "\(ticked)")
      // Reachable with the first joint where it is: answered with it there, exactly.
      let along = robot.tipPosition(at: [opened[0], opened[1] - 0.4])
      let held = try await shownAfter(
        driver, "window.neuralIK.setTarget(\(along.x), \(along.y), \(along.z));")
      #expect(held["status"] as? String == "reachable", "\(held)")
      #expect((held["jointValues"] as? [Double])?.first == opened[0], "\(held)")
      let label = try await driver.execute(
        "return document.querySelector('#joints .joint .limits').textContent;")
      #expect((label as? String)?.contains("locked at") == true, "\(String(describing: label))")
      // Reachable only with it moved: not reached while it is locked, reached once it is freed.
      let away = robot.tipPosition(at: [opened[0] + 0.8, opened[1]])
      let missed = try await shownAfter(driver, "window.neuralIK.setTarget(\(away.x), \(away.y), \(away.z));")
      #expect(missed["status"] as? String == "out-of-reach", "\(missed)")
      #expect((missed["jointValues"] as? [Double])?.first == opened[0], "\(missed)")
      let freed = try await shownAfter(
        driver, "document.querySelector('#joints input[data-joint=\"0\"]').click();")
      #expect((freed["locks"] as? [String: Double])?.isEmpty == true, "\(freed)")
      #expect(freed["status"] as? String == "reachable", "\(freed)")
      let errors = try await driver.execute("return window.neuralIK.errors;") as? [String] ?? ["unreadable"]
      #expect(errors.isEmpty, "console errors: \(errors)")
    }
  }

  /// Runs `script` and returns the page's state once the next answer is shown.
  private func shownAfter(_ driver: WebDriver, _ script: String) async throws -> [String: Any] {
    let value = try await driver.executeAsync(
      """
      const done = arguments[arguments.length - 1];
      const count = window.neuralIK.state.solveCount;
      \(script)
      const start = Date.now();
      (function poll() {
        if (window.neuralIK.state.solveCount > count || Date.now() - start > 20000) done(window.neuralIK.state);
        else setTimeout(poll, 50);
      })();
      """)
    return try #require(value as? [String: Any])
  }
}
