import Foundation
import NeuralIKCore

// The core's JSON document type (numbers as `Double`, booleans kept apart), with what the schema
// validator needs to read it.
extension JSONValue: CustomStringConvertible {
  init(parsing data: Data) throws {
    self = try JSONDecoder().decode(JSONValue.self, from: data)
  }

  subscript(key: String) -> JSONValue? {
    guard case .object(let object) = self else { return nil }
    return object[key]
  }

  var objectValue: [String: JSONValue]? {
    guard case .object(let object) = self else { return nil }
    return object
  }

  var arrayValue: [JSONValue]? {
    guard case .array(let array) = self else { return nil }
    return array
  }

  var numberValue: Double? {
    guard case .number(let number) = self else { return nil }
    return number
  }

  var stringValue: String? {
    guard case .string(let string) = self else { return nil }
    return string
  }

  package var description: String {
    switch self {
    case .null: return "null"
    case .bool(let value): return "\(value)"
    case .number(let value): return "\(value)"
    case .string(let value): return "\"\(value)\""
    case .array(let values): return "[\(values.map(\.description).joined(separator: ", "))]"
    case .object(let object): return "{\(object.keys.sorted().joined(separator: ", "))}"
    }
  }

  /// `true` when the value is of the JSON Schema type `name` (an integer is a number without a
  /// fraction).
  func isOfType(_ name: String) -> Bool {
    switch (name, self) {
    case ("null", .null), ("boolean", .bool), ("number", .number), ("string", .string),
      ("array", .array), ("object", .object):
      return true
    case ("integer", .number(let value)): return value == value.rounded()
    default: return false
    }
  }
}

/// Checks JSON values against the subset of JSON Schema 2020-12 that `openapi.yaml` uses:
/// `$ref` into the same document, `type`, `enum`, `minimum`, `exclusiveMinimum`, `maximum`,
/// `pattern`, `properties`, `required`, `additionalProperties`, `items`, `minItems`, `maxItems`,
/// `anyOf` and `oneOf`. A keyword outside that subset is an error, never skipped, so the description
/// cannot use one these tests would not check.
struct JSONSchemaValidator {
  /// The document that `$ref`s such as `#/components/schemas/Error` point into.
  let document: JSONValue

  /// Keywords that describe and assert nothing.
  static let annotations: Set<String> = ["description", "title", "examples", "default"]

  /// Every way `value` breaks `schema`, each as "path: problem"; empty when it conforms.
  func errors(of value: JSONValue, against schema: JSONValue, at path: String = "$") -> [String] {
    guard let keywords = schema.objectValue else { return ["\(path): the schema \(schema) is not an object"] }
    return keywords.keys.sorted().flatMap { keyword in
      check(keyword, keywords, value, at: path)
    }
  }

  /// The value a local reference (`#/a/b`) points to, or `nil`.
  func resolve(_ reference: String) -> JSONValue? {
    guard reference.hasPrefix("#/") else { return nil }
    var node: JSONValue? = document
    for token in reference.dropFirst(2).split(separator: "/") {
      node = node?[token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")]
    }
    return node
  }

  /// `value` itself, or what it points to when it is a `{"$ref": …}` object.
  func resolved(_ value: JSONValue) -> JSONValue? {
    guard let reference = value["$ref"]?.stringValue else { return value }
    return resolve(reference)
  }

  private func check(_ keyword: String, _ schema: [String: JSONValue], _ value: JSONValue, at path: String)
    -> [String]
  {
    let argument = schema[keyword] ?? .null
    switch (keyword, argument, value) {
    case (_, _, _) where Self.annotations.contains(keyword):
      return []
    case ("$ref", .string(let reference), _):
      guard let target = resolve(reference) else { return ["\(path): cannot resolve \(reference)"] }
      return errors(of: value, against: target, at: path)
    case ("type", .string(let name), _):
      return value.isOfType(name) ? [] : ["\(path): \(value) is not of type \(name)"]
    case ("enum", .array(let allowed), _):
      return allowed.contains(value) ? [] : ["\(path): \(value) is not one of \(argument)"]
    case ("minimum", .number(let minimum), _):
      guard case .number(let number) = value else { return [] }
      return number >= minimum ? [] : ["\(path): \(number) < \(minimum)"]
    case ("exclusiveMinimum", .number(let minimum), _):
      guard case .number(let number) = value else { return [] }
      return number > minimum ? [] : ["\(path): \(number) ≤ \(minimum)"]
    case ("maximum", .number(let maximum), _):
      guard case .number(let number) = value else { return [] }
      return number <= maximum ? [] : ["\(path): \(number) > \(maximum)"]
    case ("pattern", .string(let pattern), _):
      guard case .string(let string) = value else { return [] }
      guard let regex = try? Regex(pattern) else { return ["\(path): bad pattern \(pattern)"] }
      return string.contains(regex) ? [] : ["\(path): \(value) does not match \(pattern)"]
    case ("required", .array(let names), .object(let object)):
      return names.compactMap(\.stringValue).filter { object[$0] == nil }.map { "\(path): missing '\($0)'" }
    case ("properties", .object(let properties), .object(let object)):
      return properties.keys.sorted().flatMap { name in
        object[name].map { errors(of: $0, against: properties[name] ?? .null, at: "\(path).\(name)") } ?? []
      }
    case ("additionalProperties", _, .object(let object)):
      let declared = schema["properties"]?.objectValue ?? [:]
      return object.keys.sorted().filter { declared[$0] == nil }.flatMap { name -> [String] in
        if argument == .bool(false) { return ["\(path): property '\(name)' is not in the schema"] }
        return errors(of: object[name] ?? .null, against: argument, at: "\(path).\(name)")
      }
    case ("items", _, .array(let elements)):
      return elements.enumerated().flatMap { errors(of: $1, against: argument, at: "\(path)[\($0)]") }
    case ("minItems", .number(let minimum), .array(let elements)):
      return Double(elements.count) >= minimum
        ? [] : ["\(path): \(elements.count) items, fewer than \(minimum)"]
    case ("maxItems", .number(let maximum), .array(let elements)):
      return Double(elements.count) <= maximum
        ? [] : ["\(path): \(elements.count) items, more than \(maximum)"]
    case ("anyOf", .array(let options), _), ("oneOf", .array(let options), _):
      let matches = options.filter { errors(of: value, against: $0, at: path).isEmpty }.count
      if keyword == "anyOf" ? matches >= 1 : matches == 1 { return [] }
      return ["\(path): \(value) matches \(matches) of the \(options.count) schemas of \(keyword)"]
    case ("required", _, _), ("properties", _, _), ("additionalProperties", _, _), ("items", _, _),
      ("minItems", _, _), ("maxItems", _, _):
      // These constrain only objects or arrays.
      return []
    default:
      return ["\(path): the validator does not support '\(keyword)': \(argument)"]
    }
  }
}
