import Foundation
import NeuralIK
import TestSupport
import Testing

extension BrowserTests {
  @Test("the workspace view draws the server's targets as coloured points, by time and by network error")
  func workspaceView() async throws {
    let robot = try FixtureArm.seedArm.robot()
    let network = try IKNetwork(
      contentsOf: Fixtures.directory.appending(path: "models/seed-arm.nikm"), for: robot)
    try await withPage(robot: robot, network: network) { driver, url in
      try await driver.open(url)
      try await waitUntilReady(driver)
      for mode in ["time", "error"] {
        let shown =
          try await driver.executeAsync(
            """
            const [mode, done] = [arguments[0], arguments[arguments.length - 1]];
            const start = Date.now();
            (function poll() {
              const w = window.neuralIKWorkspace;
              if (w && w.show) {
                w.show(mode).then(() => {
                  const cloud = window.neuralIK.scene.children.filter(
                    (c) => c.isPoints && c.geometry.getAttribute('color'));
                  done({ drawn: w.view.drawn, count: w.view.count, error: w.view.error,
                    attribute: document.getElementById('workspace-view').dataset.points,
                    inScene: cloud.map((c) => c.geometry.getAttribute('position').count),
                    legend: document.getElementById('workspace-legend').textContent });
                });
              } else if (Date.now() - start > 20000) done(null);
              else setTimeout(poll, 50);
            })();
            """, [mode]) as? [String: Any]
        let view = try #require(shown, "the workspace view never appeared")
        #expect(view["error"] is NSNull, "\(mode): \(view)")
        #expect(view["drawn"] as? Int == 1000 && view["count"] as? Int == 1000, "\(mode): \(view)")
        #expect(view["attribute"] as? String == "1000")
        #expect(view["inScene"] as? [Int] == [1000], "one coloured cloud in the scene: \(view)")
        #expect((view["legend"] as? String)?.contains(mode == "time" ? "ms" : "mm") == true)
      }
      let off = try await driver.execute(
        "return window.neuralIKWorkspace.show('off').then(() => window.neuralIKWorkspace.view.drawn);")
      #expect(off as? Int == 0)
      let errors = try await driver.execute("return window.neuralIK.errors;") as? [String] ?? ["unreadable"]
      #expect(errors.isEmpty, "console errors: \(errors)")
    }
  }
}
