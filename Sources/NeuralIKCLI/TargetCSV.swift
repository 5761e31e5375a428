import Foundation
import NeuralIK

/// The batch CSV formats (see `Docs/CLI.md`).
///
/// Input: a header `x,y,z`, `x,y,z,qw,qx,qy,qz`, `x,y,z,dx,dy,dz` or `x,y,z,dx,dy,dz,ax,ay,az`, then
/// one target per line (metres; unit quaternion w first; the direction the tool axis points along
/// and the tool axis). Output: the target columns (an axis target's with its tool axis), then
/// `reachable,status,position_error_m` (`status`: a ``ReachVerdict``), `rotation_error_deg` for poses and axes (for an axis, the angle
/// between the tool axis and its direction), `iterations,solver`, one column per joint (its name,
/// or `joint:NAME` where that is another column's; radians or metres), and the reached
/// `reached_x,reached_y,reached_z`.
enum TargetCSV {
  static let positionHeader = TargetsCSV.positionHeader
  static let poseHeader = TargetsCSV.poseHeader

  /// Reads every target for `robot`, or fails naming the first bad line; nothing is solved
  /// before all parse. Axis targets without their own tool axis turn the robot's approach axis,
  /// with a note where it is not the tip's z. Positions far beyond the arm are solved, with a
  /// warning that they look like millimetres.
  static func read(_ path: String, for robot: RobotModel) throws -> [IKTarget] {
    let text = try TextFile.read(path, what: "targets file")
    let targets: [IKTarget]
    let approach = robot.approachAxis
    do {
      targets = try TargetsCSV.parse(text, toolAxis: approach)
    } catch {
      throw CLIError("targets file '\(path)' \(error)")
    }
    // Every command that reads one solves or scores its targets: none is a mistake, not a result.
    guard !targets.isEmpty else {
      throw CLIError("targets file '\(path)' has a header but no targets: give at least one row")
    }
    // Another robot, or another solver given the file, would read the same rows with its own axis.
    if approach != Vector3(0, 0, 1), TargetsCSV.header(of: text) == TargetsCSV.axisHeader {
      let shown: [String] = [approach.x, approach.y, approach.z].map { String(format: "%.4g", $0) }
      let note =
        "note: targets file '\(path)' gives no tool axis (ax,ay,az): its directions turn this robot's "
        + "approach axis, (\(shown.joined(separator: ", "))) in the tip frame, not its z; "
        + "write the columns to say which axis is meant\n"
      FileHandle.standardError.write(Data(note.utf8))
    }
    let sphere = robot.reachSphere
    if let first = targets.firstIndex(where: { sphere.suggestsMillimetres($0.position) }) {
      let count = targets.count { sphere.suggestsMillimetres($0.position) }
      warnMillimetres(
        "targets file '\(path)': \(count) of \(targets.count) targets (the first is target \(first + 1))",
        robot: robot)
    }
    return targets
  }

  /// Writes targets in the input format, atomically, each quaternion with `qw ≥ 0` as answers
  /// print theirs (`q` and `-q` are the same rotation; a reader comparing rows should not see two).
  static func writeTargets(_ targets: [IKTarget], to path: String) throws {
    let poses = targets.contains { $0.hasOrientation }
    var text = (poses ? poseHeader : positionHeader).joined(separator: ",") + "\n"
    for target in targets {
      var row = [target.position.x, target.position.y, target.position.z]
      if poses, let q = target.orientation?.canonical { row += [q.w, q.x, q.y, q.z] }
      text += row.map { "\($0)" }.joined(separator: ",") + "\n"
    }
    do {
      try OutputFile.write(Data(text.utf8), to: URL(filePath: path))
    } catch {
      throw CLIError("cannot write '\(path)': \(error.localizedDescription)")
    }
  }

  /// The fields of one CSV line as `CSVHeader.field(_:)` writes them (RFC 4180: a quoted field may hold
  /// commas, its quotes doubled), each trimmed of the spaces around it; `nil` for a quote left
  /// open or text after a closing quote.
  static func fields(_ line: some StringProtocol) -> [String]? {
    var fields: [String] = []
    var current = ""
    var quoted = false
    var closed = false
    var characters = Array(line)[...]
    while let character = characters.popFirst() {
      if quoted {
        if character != "\"" {
          current.append(character)
        } else if characters.first == "\"" {
          current.append(characters.removeFirst())
        } else {
          quoted = false
          closed = true
        }
      } else if character == "," {
        fields.append(closed ? current : current.trimmingCharacters(in: .whitespaces))
        (current, closed) = ("", false)
      } else if character == "\"", current.allSatisfy(\.isWhitespace), !closed {
        (current, quoted) = ("", true)
      } else if closed {
        guard character.isWhitespace else { return nil }
      } else {
        current.append(character)
      }
    }
    guard !quoted else { return nil }
    fields.append(closed ? current : current.trimmingCharacters(in: .whitespaces))
    return fields
  }

  /// Writes the results atomically: a failed write leaves no half-written file behind.
  ///
  /// With `path`, two more columns: each step's largest joint change and whether it was flagged.
  /// `time_us` is each target's in-process solve time (``IKResult/seconds``), in microseconds.
  static func write(
    _ results: [IKResult], targets: [IKTarget], verdicts: [ReachVerdict], robot: RobotModel, to path: String,
    path steps: (steps: [Double], flagged: Set<Int>)? = nil
  ) throws {
    let poses = targets.contains { $0.hasOrientation }
    // One file holds one kind of target (its header says which).
    let axes = !poses && targets.contains { $0.axis != nil }
    var header = poses ? poseHeader : axes ? TargetsCSV.toolAxisHeader : positionHeader
    header += ["reachable", "status", "position_error_m"] + (poses || axes ? ["rotation_error_deg"] : [])
    header += ["iterations", "solver", "time_us"]
    var trailer = ["reached_x", "reached_y", "reached_z"]
    if steps != nil { trailer += ["step", "step_flagged"] }
    let joints = CSVHeader.jointColumns(robot.movableJoints.map(\.name), besides: header + trailer)
    var text = (header + joints + trailer).map(CSVHeader.field).joined(separator: ",") + "\n"
    for (index, (target, result)) in zip(targets, results).enumerated() {
      let solution = result.best
      var row = [target.position.x, target.position.y, target.position.z].map { "\($0)" }
      if poses {
        let q = target.orientation ?? Quaternion(Rotation3.identity)
        row += [q.w, q.x, q.y, q.z].map { "\($0)" }
      }
      if axes {
        let (d, a) = (target.axis?.direction ?? Vector3(0, 0, 1), target.axis?.toolAxis ?? Vector3(0, 0, 1))
        row += [d.x, d.y, d.z, a.x, a.y, a.z].map { "\($0)" }
      }
      row += ["\(solution.reachable)", verdicts[index].rawValue, "\(solution.positionError)"]
      if poses || axes { row.append("\((solution.rotationError ?? 0) * 180 / .pi)") }
      row += [
        "\(solution.iterations)", solution.solver.rawValue, String(format: "%.1f", result.seconds * 1e6),
      ]
      row += solution.jointValues.map { "\($0)" }
      let p = solution.reachedPosition
      row += [p.x, p.y, p.z].map { "\($0)" }
      if let steps { row += ["\(steps.steps[index])", "\(steps.flagged.contains(index))"] }
      text += row.joined(separator: ",") + "\n"
    }
    do {
      try OutputFile.write(Data(text.utf8), to: URL(filePath: path))
    } catch {
      throw CLIError("cannot write '\(path)': \(error.localizedDescription)")
    }
  }
}

/// Warns on standard error that `what` lies so far beyond `robot`'s reach that it looks written
/// in millimetres; it is solved all the same (out of reach, with the closest answer).
func warnMillimetres(_ what: String, robot: RobotModel) {
  let sphere = robot.reachSphere
  let message =
    "warning: \(what): more than ten times the arm's reach (" + String(format: "%.3g", sphere.radius)
    + " m) from its base; written in millimetres? (positions are metres)\n"
  FileHandle.standardError.write(Data(message.utf8))
}
