/// Why a data set or its CSV file was refused. Each case names the line or row and the problem.
public enum DataFileError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The header is not the one this robot's data files have.
  case wrongHeader(expected: String, found: String)
  /// A line (counted from 1, the header being line 1) that cannot be read.
  case badLine(number: Int, problem: String)
  /// A row of the data set (counted from 1) that breaks what a data set must be.
  case badRow(number: Int, problem: String)
  /// The data set has no rows.
  case empty
  /// Every target is the same point.
  case degenerate

  /// The problem and where it is, in one line.
  public var description: String {
    switch self {
    case .wrongHeader(let expected, let found):
      return "data file header must be '\(expected)', found \(found.quotedExcerpt)"
    case .badLine(let number, let problem): return "data file line \(number): \(problem)"
    case .badRow(let number, let problem): return "data row \(number): \(problem)"
    case .empty: return "the data set is empty; give at least one target"
    case .degenerate:
      return
        "the data set is degenerate: every target lies within a nanometre of the first (are the robot's lengths in metres?)"
    }
  }
}
