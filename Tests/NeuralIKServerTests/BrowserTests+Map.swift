import Foundation
import NeuralIK
import TestSupport
import Testing

extension BrowserTests {
  @Test(
    "the reachability map: one coloured point per reachable voxel, at the voxel centres the server sends, and a toggle that hides it"
  )
  func mapView() async throws {
    let service = try MapEndpointTests.service()
    let map = try MapEndpointTests.map(service)
    let reachable = map.reachableVoxelCount
    #expect(reachable > 0)
    let network = try #require(service.network)
    try await withPage(robot: service.robot, network: network, map: map) { driver, url in
      try await driver.open(url)
      try await waitUntilReady(driver)
      let shown =
        try await driver.executeAsync(
          """
          const done = arguments[arguments.length - 1];
          const start = Date.now();
          (function poll() {
            const cloud = window.neuralIK.scene.getObjectByName('reachability-map');
            const toggle = document.querySelector('#map-toggle input');
            if (cloud && toggle) {
              const colours = cloud.geometry.getAttribute('color');
              const positions = cloud.geometry.getAttribute('position');
              toggle.click();
              done({ count: positions.count, colours: colours.count, visible: cloud.visible,
                first: [positions.getX(0), positions.getY(0), positions.getZ(0)],
                label: document.getElementById('map-toggle').textContent });
            } else if (Date.now() - start > 20000) done(null);
            else setTimeout(poll, 50);
          })();
          """, []) as? [String: Any]
      let view = try #require(shown, "the map never appeared")
      #expect(view["count"] as? Int == reachable, "\(view)")
      #expect(view["colours"] as? Int == reachable)
      #expect(view["visible"] as? Bool == false, "the toggle did not hide the map: \(view)")
      #expect((view["label"] as? String)?.contains("\(reachable) voxels") == true, "\(view)")
      // The first point is a reached voxel's centre, as the server lists them (float precision).
      let first = try #require(view["first"] as? [Double])
      let centres = (0..<map.grid.count).filter { map.reachedCounts[$0] > 0 }.map { map.grid.centre(of: $0) }
      #expect(
        centres.contains {
          abs($0.x - first[0]) < 1e-5 && abs($0.y - first[1]) < 1e-5 && abs($0.z - first[2]) < 1e-5
        },
        "\(first) is no reached voxel's centre")
      let errors = try await driver.execute("return window.neuralIK.errors;") as? [String] ?? ["unreadable"]
      #expect(errors.isEmpty, "console errors: \(errors)")
    }
  }
}
