import Foundation

/// JSON for the terminal and for files: pretty, keys sorted, every number finite.
enum JSONText {
  static func encode(_ value: some Encodable) throws -> String {
    String(decoding: try data(value), as: UTF8.self)
  }

  static func data(_ value: some Encodable) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    do {
      return try encoder.encode(value)
    } catch {
      throw CLIError("cannot write the result as JSON: \(error)")
    }
  }
}
