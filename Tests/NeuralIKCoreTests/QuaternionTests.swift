import Foundation
import NeuralIKCore
import PropertyBased
import TestSupport
import Testing

@Suite("Quaternions: sign, normalisation, conversion")
struct QuaternionTests {
  /// Rotation vectors over every angle up to π, where the conversions change branch.
  static let rotationVectors = zip(
    Gen.double(in: -1...1).array(of: 3), Gen.double(in: 0...Double.pi)
  ).map { direction, angle -> Vector3 in
    let v = Vector3(direction[0], direction[1], direction[2])
    return v.length < 1e-3 ? Vector3(0, 0, angle) : v / v.length * angle
  }

  static func maxGap(_ a: Rotation3, _ b: Rotation3) -> Double {
    let rows = [a.row0 - b.row0, a.row1 - b.row1, a.row2 - b.row2]
    return rows.map { max(abs($0.x), abs($0.y), abs($0.z)) }.reduce(0, max)
  }

  @Test("rotation → quaternion → rotation is the identity, at every angle up to π")
  func roundTrip() async {
    await propertyCheck(seed: 11, count: 5000, input: Self.rotationVectors) { v in
      let r = Rotation3.exponential(v)
      let q = Quaternion(r)
      #expect(abs(q.w * q.w + q.x * q.x + q.y * q.y + q.z * q.z - 1) < 1e-12)
      #expect(Self.maxGap(q.rotation, r) < 1e-12, "rotation vector \(v)")
    }
  }

  @Test("the four branches of the matrix conversion: half-turns about x, y, z and the identity")
  func branches() throws {
    for v in [Vector3(.pi, 0, 0), Vector3(0, .pi, 0), Vector3(0, 0, .pi), Vector3(0, 0, 0)] {
      let r = Rotation3.exponential(v)
      #expect(Self.maxGap(Quaternion(r).rotation, r) < 1e-12, "rotation vector \(v)")
    }
  }

  @Test("q and −q are one rotation: same matrix, same canonical form, same target residual")
  func sign() async throws {
    let robot = try RealArm.panda.fromJSON()
    await propertyCheck(seed: 12, count: 500, input: robot.configurations()) { q in
      let pose = robot.tipPose(at: q)
      let plus = Quaternion(pose.rotation)
      let minus = try #require(Quaternion(w: -plus.w, x: -plus.x, y: -plus.y, z: -plus.z))
      #expect(Self.maxGap(plus.rotation, minus.rotation) < 1e-15)
      let (a1, b1) = (plus.canonical, minus.canonical)
      #expect(max(abs(a1.w - b1.w), abs(a1.x - b1.x), abs(a1.y - b1.y), abs(a1.z - b1.z)) < 1e-15)
      #expect(plus.canonical.w >= 0)
      let a = try IKTarget(position: pose.translation, orientation: plus)
      let b = try IKTarget(position: pose.translation, orientation: minus)
      let near = q.map { $0 + 0.1 }
      var fa = [Double](repeating: 0, count: 6)
      var fb = fa
      PoseResidual(robot: robot, target: a).evaluate(at: near, into: &fa)
      PoseResidual(robot: robot, target: b).evaluate(at: near, into: &fb)
      #expect(zip(fa, fb).allSatisfy { abs($0 - $1) < 1e-12 }, "\(fa) vs \(fb)")
    }
  }

  @Test("targets normalise any non-zero quaternion: 2q, q/1000 and q·10³⁰⁰ are the rotation of q")
  func normalisation() throws {
    let q = try #require(Quaternion(w: 0.3, x: -0.5, y: 0.1, z: 0.8))
    for scale in [2.0, 1e-3, 1e6, -7, 1e300, -1e300, 1e-300] {
      let target = try IKTarget(values: [0.1, 0.2, 0.3, q.w * scale, q.x * scale, q.y * scale, q.z * scale])
      let o = try #require(target.orientation)
      #expect(abs(o.w * o.w + o.x * o.x + o.y * o.y + o.z * o.z - 1) < 1e-14)
      #expect(Self.maxGap(o.rotation, q.rotation) < 1e-14, "scale \(scale)")
    }
  }

  @Test("a zero, non-finite or wrong-sized quaternion is refused with the reason")
  func badQuaternions() {
    #expect(Quaternion(w: 0, x: 0, y: 0, z: 0) == nil)
    #expect(Quaternion(w: .nan, x: 0, y: 0, z: 1) == nil)
    #expect(Quaternion(w: 1, x: .nan, y: 0, z: 0) == nil)
    #expect(Quaternion(w: 1, x: 0, y: 0, z: -.infinity) == nil)
    #expect(Quaternion(w: .infinity, x: 0, y: 0, z: 1) == nil)
    #expect(Quaternion(w: 0, x: -0, y: 0, z: 0) == nil)
    #expect(throws: IKError.self) { try IKTarget(values: [0, 0, 0.5, 0, 0, 0, 0]) }
    #expect(throws: IKError.self) { try IKTarget(values: [0, 0, 0.5, 1, 0, .nan, 0]) }
    #expect(throws: IKError.self) { try IKTarget(values: [0, 0, 0.5, 1, 0, 0]) }
    do {
      _ = try IKTarget(values: [0, 0, 0.5, 0, 0, 0, 0])
    } catch {
      #expect("\(error)".contains("unit quaternion"), "\(error)")
    }
  }

  @Test(
    "a pose target refuses the quaternion of a matrix with a NaN or infinite entry, naming the orientation")
  func nonFiniteMatrix() {
    for bad in [Double.nan, .infinity] {
      let rotation = Rotation3(roll: bad, pitch: 0, yaw: 0)
      #expect {
        try IKTarget(position: Vector3(0.1, 0.2, 0.3), orientation: Quaternion(rotation))
      } throws: { "\($0)".contains("target orientation") }
    }
  }

  @Test("a quaternion given to a pose target is kept bit for bit")
  func unitKept() throws {
    var generator = SplitMix64(seed: 5)
    for _ in 0..<1000 {
      let rotation = Rotation3(
        roll: .random(in: -3...3, using: &generator), pitch: .random(in: -1.5...1.5, using: &generator),
        yaw: .random(in: -3...3, using: &generator))
      let q = Quaternion(rotation)
      #expect(try IKTarget(position: Vector3(0, 0, 0.5), orientation: q).orientation == q)
    }
  }
}
