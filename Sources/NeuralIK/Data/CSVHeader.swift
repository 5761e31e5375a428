/// How the CSV files this package writes name their columns.
package enum CSVHeader {
  /// The columns of `jointNames` in a header whose other columns are `others`: each joint's name,
  /// except where it equals one of them (a gantry's joints are often `x`, `y` and `z`). Such a
  /// joint's column is `joint:NAME`, prefixed again while that is taken too, so that no two
  /// columns share a name and a program that reads a column by its name reads the right one.
  ///
  /// - Parameters:
  ///   - jointNames: the robot's movable joints' names, distinct, in chain order.
  ///   - others: the file's other columns.
  /// - Returns: one column name per joint, unquoted (see ``field(_:)``).
  package static func jointColumns(_ jointNames: [String], besides others: [String]) -> [String] {
    let fixed = Set(others)
    var taken = fixed.union(jointNames)
    return jointNames.map { name in
      guard fixed.contains(name) else { return name }
      var column = "joint:" + name
      while taken.contains(column) { column = "joint:" + column }
      taken.insert(column)
      return column
    }
  }

  /// `text` as one CSV field: quoted, its quotes doubled, when it holds a comma or a quote
  /// (RFC 4180), so that a header keeps its columns.
  package static func field(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
