/// What a robot file may hold: far beyond any real arm, and small enough that no file can make a
/// solve run for minutes or a parser exhaust the stack (Docs/RobotFormat.md).
public enum RobotLimits {
  /// Largest robot file (JSON or URDF) read, in bytes: the XML parser's own limit (libxml2's
  /// 10,000,000 bytes of one text node), which beyond it refused a valid URDF as "not valid XML".
  public static let fileBytes = 10_000_000
  /// Most joints in a chain (fixed ones included).
  public static let joints = 512
  /// Most movable joints: real arms have up to 7; serial snakes rarely pass 30.
  public static let movableJoints = 64
  /// Longest offset between joints, in metres: a thousand kilometres. Beyond it, sums and squares
  /// of lengths along a chain of `joints` offsets would no longer be finite.
  public static let length = 1e6
  /// Farthest a robot may reach from its base, in metres (``RobotModel/reachBound``): a hundred
  /// kilometres, a tenth of the farthest target (``IKTarget/maximumCoordinate``), so that every
  /// pose of the arm, and the points around its reach that benchmarks and training draw, can be
  /// named as targets.
  public static let reach = 1e5
  /// Largest magnitude of a joint limit, radians or metres: a revolute joint may turn some 160,000
  /// turns, a prismatic one travel a thousand kilometres. Beyond it, a limit's middle, its width
  /// and the reach bound would no longer be finite; an unlimited joint is `continuous`.
  public static let jointValue = 1e6
  /// Deepest element nesting in a URDF (a URDF nests 4 deep).
  public static let xmlDepth = 64
}
