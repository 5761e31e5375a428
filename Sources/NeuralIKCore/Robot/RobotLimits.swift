/// What a robot file may hold: far beyond any real arm, and small enough that no file can make a
/// solve run for minutes or a parser exhaust the stack (Docs/RobotFormat.md).
public enum RobotLimits {
  /// Largest robot file (JSON or URDF) read, in bytes.
  public static let fileBytes = 16 << 20
  /// Most joints in a chain (fixed ones included).
  public static let joints = 512
  /// Most movable joints: real arms have up to 7; serial snakes rarely pass 30.
  public static let movableJoints = 64
  /// Deepest element nesting in a URDF (a URDF nests 4 deep).
  public static let xmlDepth = 64
}
