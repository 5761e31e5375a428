import Foundation
import NeuralIK
import PropertyBased
import TestSupport
import Testing

/// The heavy property suite: laws every answer of the hybrid, and of `lm` from the middle of the
/// limits, keeps on every fixture arm with its committed model, on targets biased towards the
/// places solvers break (``WorkspaceCase/Region``). Each run draws a fresh seed (printed;
/// `NEURALIK_SEED` replays it); `NEURALIK_PROPERTY_CASES` sets the cases per law, which CI runs
/// at 10,000 in a release build (`make properties`).
@Suite("Laws of the hybrid and of lm across the workspace")
struct SolverLawTests {
  /// Cases per law; the fallback keeps a debug `swift test` short.
  static let cases = PropertyRun.cases(fallback: 40)

  /// The solvers under test: the hybrid as shipped, the hybrid without its closed-form stage
  /// (on the arms with a closed form, the shipped hybrid answers from it, so the learned
  /// refinement is checked on its own), the hybrid without a model (the default without one on an
  /// arm with a closed form of poses), and `lm`.
  enum Kind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case hybrid
    case hybridWithoutClosedForm = "hybrid without closed form"
    case hybridWithoutModel = "hybrid without a model"
    case lm

    var testDescription: String { rawValue }
    var solverKind: SolverKind { self == .lm ? .levenbergMarquardt : .hybrid }
  }

  static let kinds: [Kind] = [.hybrid, .hybridWithoutClosedForm, .lm]

  /// Every arm with each of ``kinds``, and the arms with a closed form of poses with the hybrid
  /// without a model, on their natural targets (poses). Out of reach its position targets take the
  /// same path as the shipped hybrid's on those arms, whose models propose poses only.
  static let everyAnswerSubjects: [(CommittedArm, Kind)] =
    CommittedArm.allCases.flatMap { arm in kinds.map { (arm, $0) } }
    + CommittedArm.allCases.filter { arm in
      (try? arm.robot()).flatMap { try? AnalyticSolver(robot: $0) }?.targetKind == .pose
    }.map { ($0, .hybridWithoutModel) }

  /// A solver under test with what it is checked against.
  struct Subject {
    let robot: RobotModel
    let network: IKNetwork?
    let solver: Solver
    /// The hybrid is asked for its network's kind of target; `lm` for the kind natural to the arm.
    let targetKind: TargetKind
  }

  static func subject(_ arm: CommittedArm, _ kind: Kind) throws -> Subject {
    let robot = try arm.robot()
    let model = try IKNetwork(contentsOf: arm.modelURL, for: robot)
    let network = kind == .hybrid || kind == .hybridWithoutClosedForm ? model : nil
    let solver = try Solvers.make(kind.solverKind, robot, network: network) {
      if kind == .hybridWithoutClosedForm { $0.closedForm = false }
    }
    return Subject(
      robot: robot, network: network, solver: solver,
      targetKind: TargetKind.expected(robot: robot, network: network))
  }

  @Test(
    "every answer: reached exactly when FK puts it within the tolerance, FK(answer) is the reported tip, inside the limits; batched (other solvers, other histories) equals one by one",
    arguments: everyAnswerSubjects)
  func everyAnswer(arm: CommittedArm, kind: Kind) async throws {
    let subject = try Self.subject(arm, kind)
    let robot = subject.robot
    var solved: [(input: WorkspaceCase, target: IKTarget, result: IKResult)] = []
    await propertyCheck(
      law: "every answer of \(kind.rawValue) on \(arm.rawValue)", count: Self.cases,
      input: robot.workspaceCases(kind: subject.targetKind)
    ) { input in
      let target = try input.target()
      let result = try subject.solver.solve(target)
      Self.checkMeasured(result, target: target, robot: robot)
      solved.append((input, target, result))
    }
    // In reverse order on two threads, so that no solver below has the history of the one above.
    let reversed = Array(solved.reversed())
    let batch = try BatchSolving.solve(
      reversed.map(\.target), robot: robot, network: subject.network,
      specification: subject.solver.specification, threads: 2)
    for (entry, batched) in zip(reversed, batch) {
      #expect(
        batched.solutions == entry.result.solutions && batched.iterations == entry.result.iterations,
        "batched differs from one by one for \(entry.input) (seed \(PropertyRun.seed)): \(batched.best.jointValues) after \(batched.iterations) iterations against \(entry.result.best.jointValues) after \(entry.result.iterations)"
      )
    }
  }

  /// The laws of one answer, each measured again from its joint values alone.
  static func checkMeasured(_ result: IKResult, target: IKTarget, robot: RobotModel) {
    let tolerance = result.specification.tolerance
    for solution in result.solutions {
      #expect(robot.isWithinLimits(solution.jointValues), "outside the limits: \(solution.jointValues)")
      // swift-format-ignore: AlwaysUseLowerCamelCase
      let T_base_tip = robot.tipPose(at: solution.jointValues)
      #expect(T_base_tip == solution.T_base_tip, "FK(answer) \(T_base_tip) is not the reported tip")
      let position = (T_base_tip.translation - target.position).length
      let rotation = target.orientation.map { $0.rotation.angle(to: T_base_tip.rotation) }
      // The same FK, so the same numbers to the last bit; a margin would hide a stale report.
      #expect(
        position == solution.positionError && rotation == solution.rotationError,
        "reported errors \(solution.positionError) m, \(String(describing: solution.rotationError)) rad; FK measures \(position) m, \(String(describing: rotation)) rad"
      )
      let within = position <= tolerance.position && (rotation ?? 0) <= tolerance.rotation
      #expect(
        solution.reachable == within,
        "reachable is \(solution.reachable) but FK puts the answer \(position) m, \(String(describing: rotation)) rad from the target (tolerance \(tolerance.position) m, \(tolerance.rotation) rad)"
      )
    }
  }

  /// Cases per out-of-reach law: each runs every restart, so a debug build affords fewer.
  static let outOfReachCases = PropertyRun.cases(fallback: 15)

  /// Reachable points sampled per case; the answer must be no farther than any of them.
  static let sampledPoints = 64

  @Test(
    "out of reach: flagged, the gap is the distance FK measures and at least the distance past the reach bound and the reach sphere; the hybrid's answer is no farther than any of 64 sampled reachable points, lm's a local closest point",
    arguments: CommittedArm.allCases, kinds)
  func outOfReach(arm: CommittedArm, kind: Kind) async throws {
    let subject = try Self.subject(arm, kind)
    let robot = subject.robot
    let samples = Generator { rng in
      (0..<Self.sampledPoints).map { _ in robot.tipPosition(at: robot.randomConfiguration(using: &rng)) }
    }
    let iterative = kind == .hybridWithoutClosedForm || (try? AnalyticSolver(robot: robot)) == nil
    // Boxed: a SIMD value live across the `await` below is what Swift's async frames miscount.
    let sphere = HeapBox(robot.reachSphere)
    await propertyCheck(
      law: "out of reach, \(kind.rawValue) on \(arm.rawValue)", count: Self.outOfReachCases,
      input: zip(robot.outOfReachPositions(), samples)
    ) { position, reachablePoints in
      let best = try subject.solver.solve(IKTarget(position: position)).best
      let gap = (robot.tipPosition(at: best.jointValues) - position).length
      #expect(!best.reachable, "a position beyond the reach bound is flagged reachable")
      #expect(robot.isWithinLimits(best.jointValues), "outside the limits: \(best.jointValues)")
      #expect(best.positionError == gap, "reported gap \(best.positionError) m, FK measures \(gap) m")
      // Rounding of distances near 1e6 m: a relative margin of 1e-12.
      let margin = 1e-12 * position.length
      // The reach sphere is the tighter bound: no configuration's tool point lies outside it.
      let past = max(position.length - robot.reachBound, sphere.value.distanceOutside(position))
      #expect(
        best.positionError >= past - margin,
        "gap \(best.positionError) m is less than the \(past) m past the reach bound and sphere")
      let nearestSample = reachablePoints.map { ($0 - position).length }.min() ?? .infinity
      switch kind {
      case .lm:
        // `lm` is a local method (Docs/Solvers.md): from the middle and its seeded restarts it can
        // settle in a corner of the limits that another corner beats (the planar arm, about 1
        // target in 1,000). Its law: no farther than the samples, or else a local closest point,
        // where no joint can move within its limits and bring the tip closer.
        let slope = Self.largestDescent(robot, at: best.jointValues, towards: position)
        #expect(
          best.positionError <= nearestSample + margin || slope <= 1e-6 * (1 + gap),
          "gap \(best.positionError) m at \(best.jointValues): a sampled reachable point is \(nearestSample) m away, and a joint moving into its limits shortens the gap by \(slope) m/rad"
        )
      case .hybrid, .hybridWithoutClosedForm, .hybridWithoutModel:
        // The refinement stops on a cost-relative test: at 3e5 m, a few millimetres short of the
        // closest point (a relative 1e-8); the closed forms are exact.
        #expect(
          best.positionError <= nearestSample + (iterative ? 1e-8 : 1e-12) * position.length,
          "gap \(best.positionError) m at \(best.jointValues) but a sampled reachable point is \(nearestSample) m away"
        )
      }
    }
  }

  /// The steepest rate (m/rad) at which one joint, moving into its limits, shortens the distance
  /// from the tip to `position`: central differences inside the limits, one-sided at a limit.
  static func largestDescent(_ robot: RobotModel, at q: [Double], towards position: Vector3) -> Double {
    let h = 1e-6
    func distance(_ q: [Double]) -> Double { (robot.tipPosition(at: q) - position).length }
    let here = distance(q)
    var steepest = 0.0
    for (index, joint) in robot.movableJoints.enumerated() {
      let limits = joint.limits ?? JointLimits(lower: -.infinity, upper: .infinity)
      var up = q
      up[index] = min(q[index] + h, limits.upper)
      var down = q
      down[index] = max(q[index] - h, limits.lower)
      if up[index] > q[index] { steepest = max(steepest, (here - distance(up)) / (up[index] - q[index])) }
      if down[index] < q[index] {
        steepest = max(steepest, (here - distance(down)) / (q[index] - down[index]))
      }
    }
    return steepest
  }
}
