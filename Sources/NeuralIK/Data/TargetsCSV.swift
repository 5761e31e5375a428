import Foundation

/// The targets CSV that `neural-ik solve --targets` reads (see `Docs/CLI.md`): a header `x,y,z`,
/// `x,y,z,qw,qx,qy,qz`, `x,y,z,dx,dy,dz` or `x,y,z,dx,dy,dz,ax,ay,az`, then one target per line
/// (metres; a unit quaternion w first; or the direction the tool axis must point along, base frame,
/// and the tool axis in the tip frame, `parse`'s `toolAxis` when not given: the command line
/// passes the robot's ``/NeuralIKCore/RobotModel/approachAxis``). Blank lines are skipped.
public enum TargetsCSV {
  /// The header of a file of position targets.
  public static let positionHeader = ["x", "y", "z"]
  /// The header of a file of pose targets (a unit quaternion, w first).
  public static let poseHeader = ["x", "y", "z", "qw", "qx", "qy", "qz"]
  /// The header of a file of axis targets: the tool's approach axis along `dx,dy,dz` (base frame),
  /// the rotation about it free.
  public static let axisHeader = ["x", "y", "z", "dx", "dy", "dz"]
  /// As ``axisHeader``, with each row's tool axis `ax,ay,az` (tip frame).
  public static let toolAxisHeader = axisHeader + ["ax", "ay", "az"]
  static let headers = [positionHeader, poseHeader, axisHeader, toolAxisHeader]
  static let headerNames = headers.map { "'" + $0.joined(separator: ",") + "'" }.joined(separator: ", ")

  /// The header of `text`: its first line that is not blank, split at commas and trimmed; `nil`
  /// for a text of blank lines.
  public static func header(of text: String) -> [String]? {
    // Line by line from the start: a file may hold two gigabytes after its header.
    var rest = text[...]
    while !rest.isEmpty {
      let end = rest.firstIndex(where: \.isNewline) ?? rest.endIndex
      let line = rest[..<end]
      if !line.trimmingCharacters(in: .whitespaces).isEmpty {
        return fields(of: line)
      }
      rest = end == rest.endIndex ? rest[end...] : rest[rest.index(after: end)...]
    }
    return nil
  }

  /// A line's fields, trimmed, without the one empty field after a trailing comma, which
  /// spreadsheets write on every line: the header and the rows are read alike (the header alone
  /// dropped its empty fields, so `x,y,z,` passed and its rows `0.2,0.1,0.7,` did not). An empty
  /// field elsewhere stays, to be refused.
  static func fields(of line: Substring) -> [String] {
    var fields = line.split(separator: ",", omittingEmptySubsequences: false).map {
      $0.trimmingCharacters(in: .whitespaces)
    }
    if fields.count > 1, fields.last?.isEmpty == true { fields.removeLast() }
    return fields
  }

  /// Every target of `text`, or the first bad line; nothing is returned unless all parse.
  ///
  /// - Parameters:
  ///   - text: the file's contents.
  ///   - toolAxis: the tool axis (tip frame) of axis targets in a file without `ax,ay,az`
  ///     (default the tip's z; the command line passes the robot's
  ///     ``/NeuralIKCore/RobotModel/approachAxis``).
  /// - Throws: ``TargetsCSVError`` naming the line and what was wrong in it.
  public static func parse(_ text: String, toolAxis: Vector3 = Vector3(0, 0, 1)) throws(TargetsCSVError)
    -> [IKTarget]
  {
    var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
      .enumerated().filter { !$0.element.trimmingCharacters(in: .whitespaces).isEmpty }
    guard let headerLine = lines.first else { throw .empty }
    lines.removeFirst()
    let header = fields(of: headerLine.element)
    guard headers.contains(header) else {
      throw .line(
        headerLine.offset + 1, "header \(headerLine.element.quotedExcerpt) is not one of \(headerNames)")
    }
    var targets: [IKTarget] = []
    for (offset, line) in lines {
      let fields = fields(of: line)
      guard fields.count == header.count else {
        throw .line(offset + 1, "\(fields.count) values; the header has \(header.count)")
      }
      var values: [Double] = []
      for trimmed in fields {
        guard let value = Double(decimal: trimmed) else {
          throw .line(offset + 1, "\(trimmed.quotedExcerpt) is not a number")
        }
        values.append(value)
      }
      do {
        if header.count >= axisHeader.count && header[3] == "dx" {
          let tool =
            values.count == toolAxisHeader.count ? Vector3(values[6], values[7], values[8]) : toolAxis
          targets.append(
            try IKTarget(
              position: Vector3(values[0], values[1], values[2]),
              axis: AxisTarget(toolAxis: tool, direction: Vector3(values[3], values[4], values[5]))))
        } else {
          targets.append(try IKTarget(values: values))
        }
      } catch {
        throw .line(offset + 1, "\(error)")
      }
    }
    return targets
  }
}

/// Why a targets CSV was refused.
public enum TargetsCSVError: Error, Sendable, Equatable, CustomStringConvertible {
  /// No line but blank ones.
  case empty
  /// Line `number` (1-based, counting blank lines) is wrong; the message says how.
  case line(Int, String)

  /// The error as one sentence naming the line and what was wrong.
  public var description: String {
    switch self {
    case .empty: return "is empty; expected a header, one of \(TargetsCSV.headerNames)"
    case .line(let number, let message): return "line \(number): \(message)"
    }
  }
}
