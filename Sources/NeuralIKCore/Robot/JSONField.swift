import Foundation

/// A JSON value with the path it was read from, so that every error can name its field.
struct JSONField {
  let value: Any
  let path: String

  func fail(_ problem: String) -> RobotModelError {
    RobotModelError(field: path, problem: problem)
  }

  func object(allowedKeys: Set<String>) throws -> [String: JSONField] {
    guard let dictionary = value as? [String: Any] else {
      throw fail("expected an object, found \(Self.kind(of: value))")
    }
    var result: [String: JSONField] = [:]
    for (key, item) in dictionary {
      guard allowedKeys.contains(key) else {
        throw fail("unknown key '\(key)'; allowed keys are: \(allowedKeys.sorted().joined(separator: ", "))")
      }
      result[key] = JSONField(value: item, path: path.isEmpty ? key : "\(path).\(key)")
    }
    return result
  }

  func array() throws -> [JSONField] {
    guard let items = value as? [Any] else {
      throw fail("expected an array, found \(Self.kind(of: value))")
    }
    return items.enumerated().map { JSONField(value: $1, path: "\(path)[\($0)]") }
  }

  func string() throws -> String {
    guard let text = value as? String else {
      throw fail("expected a string, found \(Self.kind(of: value))")
    }
    return text
  }

  func number() throws -> Double {
    // JSONSerialization gives booleans as NSNumber too; refuse them explicitly.
    guard let number = value as? NSNumber, !Self.isBoolean(number) else {
      throw fail("expected a number, found \(Self.kind(of: value))")
    }
    let double = number.doubleValue
    guard double.isFinite else { throw fail("must be a finite number") }
    return double
  }

  func vector3() throws -> Vector3 {
    let items = try array()
    guard items.count == 3 else { throw fail("expected 3 numbers [x, y, z], found \(items.count)") }
    return Vector3(try items[0].number(), try items[1].number(), try items[2].number())
  }

  /// JSON `true`/`false` arrive as a boolean-typed NSNumber (`objCType` "c").
  static func isBoolean(_ number: NSNumber) -> Bool {
    String(describing: type(of: number)).contains("Boolean")
  }

  static func kind(of value: Any) -> String {
    switch value {
    case is NSNull: return "null"
    case is String: return "a string"
    case is [Any]: return "an array"
    case is [String: Any]: return "an object"
    case let number as NSNumber:
      return isBoolean(number) ? "a boolean" : "a number"
    default: return "an unsupported value"
    }
  }
}
