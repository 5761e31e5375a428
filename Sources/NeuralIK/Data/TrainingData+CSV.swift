import Foundation

/// The data-set file: CSV with a header `x,y,z` (metres), then, for labelled sets, one column
/// per movable joint named after it (`joint:x` for a joint named `x`, and so on; see
/// `CSVHeader.jointColumns`; radians or metres; empty for an unlabelled target). Doubles
/// are written with full precision, so a set loads back exactly. See `Docs/Learning.md`.
extension TrainingData {
  /// The CSV text of this data set for `robot`.
  ///
  /// - Parameter robot: the robot, whose movable joints name the label columns.
  /// - Returns: the header and one line per target.
  public func csv(for robot: RobotModel) -> String {
    let names = robot.movableJoints.map(\.name)
    var text = Self.header(for: robot) + "\n"
    for (target, label) in zip(targets, labels) {
      let p = target.position
      var fields = [p.x, p.y, p.z].map { "\($0)" }
      fields += label.map { $0.map { "\($0)" } } ?? Array(repeating: "", count: names.count)
      text += fields.joined(separator: ",") + "\n"
    }
    return text
  }

  /// Reads a data set written by ``csv(for:)``, checking it against `robot`.
  ///
  /// - Parameters:
  ///   - text: the file's contents.
  ///   - robot: the robot the set is for; its joints name the columns.
  /// - Throws: ``DataFileError`` naming the line: wrong header, wrong column count, a value that is
  ///   not a number, a label outside the limits.
  public init(csv text: String, for robot: RobotModel) throws(DataFileError) {
    let names = robot.movableJoints.map(\.name)
    let expected = Self.header(for: robot)
    var lines = text.split(whereSeparator: \.isNewline).map(String.init)
    guard let header = lines.first, header == expected else {
      throw .wrongHeader(expected: expected, found: lines.first ?? "")
    }
    lines.removeFirst()
    var targets: [IKTarget] = []
    var labels: [[Double]?] = []
    for (index, line) in lines.enumerated() {
      let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      guard fields.count == 3 + names.count else {
        throw .badLine(
          number: index + 2, problem: "\(fields.count) fields; expected \(3 + names.count)")
      }
      let values = fields.map { Double(decimal: $0) }
      guard let x = values[0], let y = values[1], let z = values[2] else {
        throw .badLine(number: index + 2, problem: "the target is not three numbers")
      }
      guard let target = try? IKTarget(position: Vector3(x, y, z)) else {
        throw .badLine(number: index + 2, problem: "the target has a non-finite coordinate")
      }
      targets.append(target)
      if fields[3...].allSatisfy(\.isEmpty) {
        labels.append(nil)
      } else {
        let label = values[3...].compactMap { $0 }
        guard label.count == names.count else {
          throw .badLine(number: index + 2, problem: "the label has a value that is not a number")
        }
        labels.append(label)
      }
    }
    self.init(targets: targets, labels: labels)
    try validate(for: robot)
  }

  /// The header line for `robot`: `x,y,z`, then its joints' columns, quoted where a name holds a
  /// comma or a quote.
  static func header(for robot: RobotModel) -> String {
    let position = ["x", "y", "z"]
    let joints = CSVHeader.jointColumns(robot.movableJoints.map(\.name), besides: position)
    return (position + joints).map(CSVHeader.field).joined(separator: ",")
  }
}
