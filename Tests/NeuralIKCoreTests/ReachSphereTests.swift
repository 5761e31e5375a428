import NeuralIKCore
import PropertyBased
import TestSupport
import Testing

/// The reach sphere holds the tool point in every configuration, of the fixture arms and of
/// random chains (revolute, continuous and prismatic joints, fixed offsets between them), and is
/// never looser than the reach bound it refines.
@Suite("Reach sphere")
struct ReachSphereTests {
  static let cases = PropertyRun.cases(fallback: 2_000)

  static func fixtureRobots() throws -> [RobotModel] {
    try FixtureArm.allCases.map { try $0.robot() } + RealArm.allCases.map { try $0.fromJSON() }
  }

  @Test("every configuration's tool point lies in the reach sphere (fixture arms)")
  func fixtureArmsInside() async throws {
    for robot in try Self.fixtureRobots() {
      // Boxed: a SIMD value live across the `await` below is what Swift's async frames miscount.
      let sphere = HeapBox(robot.reachSphere)
      #expect(sphere.value.radius <= robot.reachBound * (1 + 1e-12), "\(robot.name)")
      await propertyCheck(
        law: "tool point inside the reach sphere on \(robot.name)", count: Self.cases,
        input: Generator { rng in robot.biasedConfiguration(using: &rng) }
      ) { q in
        let tip = robot.tipPosition(at: q)
        #expect(
          !sphere.value.excludes(tip),
          "\(robot.name): \((tip - sphere.value.centre).length) m > \(sphere.value.radius) m")
      }
    }
  }

  /// A random serial chain of 1–8 movable joints: random offsets up to 0.5 m, random axes, a
  /// quarter of the joints prismatic, a fixed joint now and then.
  static func randomChain(using rng: inout some RandomNumberGenerator) throws -> RobotModel {
    func vector(_ scale: Double) -> Vector3 {
      Vector3(
        Double.random(in: -scale...scale, using: &rng), Double.random(in: -scale...scale, using: &rng),
        Double.random(in: -scale...scale, using: &rng))
    }
    func origin() -> Transform3 {
      var axis = vector(1)
      if axis.length < 1e-3 { axis = Vector3(0, 0, 1) }
      return Transform3(
        rotation: Rotation3(axis: axis / axis.length, angle: Double.random(in: -.pi...(.pi), using: &rng)),
        translation: vector(0.5))
    }
    var joints: [Joint] = []
    for index in 0..<Int.random(in: 1...8, using: &rng) {
      var axis = vector(1)
      if axis.length < 1e-3 { axis = Vector3(1, 0, 0) }
      if Int.random(in: 0..<5, using: &rng) == 0 {
        joints.append(Joint(name: "fixed\(index)", type: .fixed, origin: origin()))
      }
      switch Int.random(in: 0..<4, using: &rng) {
      case 0:
        let lower = Double.random(in: -0.5...0.4, using: &rng)
        joints.append(
          Joint(
            name: "j\(index)", type: .prismatic, origin: origin(), axis: axis,
            limits: JointLimits(lower: lower, upper: lower + Double.random(in: 0.01...0.5, using: &rng))))
      case 1:
        joints.append(Joint(name: "j\(index)", type: .continuous, origin: origin(), axis: axis))
      default:
        joints.append(
          Joint(
            name: "j\(index)", type: .revolute, origin: origin(), axis: axis,
            limits: JointLimits(
              lower: -Double.random(in: 0...3, using: &rng), upper: Double.random(in: 0...3, using: &rng))
          ))
      }
    }
    return try RobotModel(name: "random", joints: joints, tool: origin())
  }

  @Test("every configuration's tool point lies in the reach sphere (random chains)")
  func randomChainsInside() async {
    await propertyCheck(
      law: "tool point inside the reach sphere of a random chain", count: Self.cases / 10,
      input: Generator { rng in
        let robot = try? Self.randomChain(using: &rng)
        return (robot, (0..<50).map { _ in robot?.biasedConfiguration(using: &rng) ?? [] })
      }
    ) { robot, configurations in
      guard let robot else {
        Issue.record("a random chain failed to build")
        return
      }
      let sphere = robot.reachSphere
      #expect(sphere.radius <= robot.reachBound * (1 + 1e-12) + 1e-12)
      for q in configurations {
        let tip = robot.tipPosition(at: q)
        #expect(!sphere.excludes(tip), "\((tip - sphere.centre).length) m > \(sphere.radius) m at \(q)")
      }
    }
  }

  @Test("meeting axes put the centre where they meet: a spherical shoulder at height h loses h")
  func sphericalShoulder() throws {
    // Two revolute joints meeting 0.4 m above the base, then a 0.3 m link and a 0.2 m tool.
    let robot = try RobotModel(
      name: "shoulder",
      joints: [
        Joint(
          name: "yaw", type: .revolute,
          origin: Transform3(rotation: .identity, translation: Vector3(0, 0, 0.4)),
          axis: Vector3(0, 0, 1), limits: JointLimits(lower: -3, upper: 3)),
        Joint(
          name: "pitch", type: .revolute, axis: Vector3(0, 1, 0), limits: JointLimits(lower: -2, upper: 2)),
        Joint(
          name: "elbow", type: .revolute,
          origin: Transform3(rotation: .identity, translation: Vector3(0, 0, 0.3)),
          axis: Vector3(0, 1, 0), limits: JointLimits(lower: -2, upper: 2)),
      ],
      tool: Transform3(rotation: .identity, translation: Vector3(0, 0, 0.2)))
    let sphere = robot.reachSphere
    #expect(abs(sphere.radius - 0.5) < 1e-9)
    #expect((sphere.centre - Vector3(0, 0, 0.4)).length < 1e-9)
    #expect(abs(robot.reachBound - 0.9) < 1e-9)
    #expect(sphere.excludes(Vector3(0, 0, 0.91)) && !sphere.excludes(Vector3(0, 0, 0.89)))
    #expect(abs(sphere.distanceOutside(Vector3(0.6, 0, 0.4)) - 0.1) < 1e-9)
  }
}
