import Foundation
import Hummingbird
import HummingbirdTesting
import NeuralIKCore

/// `openapi.yaml` as the tests read it (it is JSON, which is YAML too): the response documented for
/// each operation and status, every example with its schema, and the check of a real response.
struct OpenAPISpec {
  /// The file in the source tree; the server serves its bundled copy.
  static let fileURL = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appending(path: "Sources/NeuralIKServer/Web/openapi.yaml")

  let document: JSONValue
  var validator: JSONSchemaValidator { JSONSchemaValidator(document: document) }

  init(data: Data) throws {
    document = try JSONValue(parsing: data)
  }

  static func load() throws -> OpenAPISpec {
    try OpenAPISpec(data: Data(contentsOf: fileURL))
  }

  /// The operations, as "METHOD path".
  var operations: [String] {
    (document["paths"]?.objectValue ?? [:]).flatMap { path, item in
      (item.objectValue ?? [:]).keys.map { "\($0.uppercased()) \(path)" }
    }.sorted()
  }

  /// The operation at `path` (a template such as `/three/{path}`) for `method` (`get`, `post`).
  func operation(_ method: String, _ path: String) -> JSONValue? {
    document["paths"]?[path]?[method]
  }

  /// The response documented for `status`, references resolved. Where the operation documents
  /// none, the description's introduction says what applies: `components.responses.NotFound` to a
  /// 404 for a path or method it lacks, and to any request a component whose `x-statuses` lists
  /// the status (`RefusedRequest`: what the connection refuses before any route).
  func response(_ method: String, _ path: String, status: Int) -> JSONValue? {
    let operation = operation(method, path)
    if let response = operation?["responses"]?[String(status)] { return validator.resolved(response) }
    let components = document["components"]?["responses"]?.objectValue ?? [:]
    if operation == nil, status == 404 { return components["NotFound"] }
    return components.values.first { $0["x-statuses"]?.arrayValue?.contains(.number(Double(status))) == true }
  }

  /// What is wrong with a real response to `method path`: a status the description does not
  /// document there, another media type, or a body its schema refuses. Empty when it conforms.
  func problems(of response: TestResponse, _ method: String, _ path: String) -> [String] {
    problems(
      status: Int(response.status.code), contentType: response.headers[.contentType],
      body: Data(buffer: response.body), method, path)
  }

  /// As ``problems(of:_:_:)``, for an answer read off a raw connection.
  func problems(status: Int, contentType: String?, body data: Data, _ method: String, _ path: String)
    -> [String]
  {
    let label = "\(method.uppercased()) \(path) \(status)"
    guard let documented = self.response(method, path, status: status) else {
      return ["\(label): status not documented"]
    }
    let contentType = contentType ?? ""
    let mediaType = String(contentType.prefix { $0 != ";" }).trimmingCharacters(in: .whitespaces)
    guard let schema = documented["content"]?[mediaType]?["schema"] else {
      return ["\(label): media type '\(contentType)' not documented"]
    }
    let body: JSONValue
    if mediaType == "application/json" {
      guard let json = try? JSONValue(parsing: data) else { return ["\(label): the body is not JSON"] }
      body = json
    } else {
      body = .string(String(decoding: data, as: UTF8.self))
    }
    return validator.errors(of: body, against: schema).map { "\(label): \($0)" }
  }

  /// One example of the description and the schema it illustrates.
  struct Example {
    var label: String
    var value: JSONValue
    var schema: JSONValue
  }

  /// Every example: request and response bodies, schemas', and the WebSocket exchanges (whose
  /// requests are checked only where the reply is no error: the others show bad input).
  var examples: [Example] {
    var examples: [Example] = []
    func add(_ label: String, content: JSONValue?) {
      for (mediaType, media) in content?.objectValue ?? [:] {
        guard let schema = media["schema"] else { continue }
        if let value = media["example"] {
          examples.append(Example(label: "\(label) \(mediaType)", value: value, schema: schema))
        }
        for (name, example) in media["examples"]?.objectValue ?? [:] {
          guard let value = validator.resolved(example)?["value"] else { continue }
          examples.append(Example(label: "\(label) \(mediaType) '\(name)'", value: value, schema: schema))
        }
      }
    }
    for operation in operations {
      let parts = operation.split(separator: " ", maxSplits: 1).map(String.init)
      guard let item = self.operation(parts[0].lowercased(), parts[1]) else { continue }
      add("\(operation) request", content: item["requestBody"]?["content"])
      for (status, response) in item["responses"]?.objectValue ?? [:] {
        add("\(operation) \(status)", content: validator.resolved(response)?["content"])
      }
      if let socket = item["x-websocket"], let request = socket["request"], let reply = socket["reply"] {
        for (index, exchange) in (socket["examples"]?.arrayValue ?? []).enumerated() {
          examples.append(
            Example(label: "\(operation) reply \(index)", value: exchange["reply"] ?? .null, schema: reply))
          if exchange["reply"]?["error"] == nil {
            examples.append(
              Example(
                label: "\(operation) request \(index)", value: exchange["request"] ?? .null, schema: request))
          }
        }
      }
    }
    return examples
      + schemaExamples(in: document["components"]?["schemas"] ?? .null, at: "components.schemas")
  }

  /// The `examples` of every schema at or under `node`, nested ones too (a property's own).
  private func schemaExamples(in node: JSONValue, at label: String) -> [Example] {
    var found = (node["examples"]?.arrayValue ?? []).map { Example(label: label, value: $0, schema: node) }
    for (key, child) in node.objectValue ?? [:] where key != "examples" {
      found += schemaExamples(in: child, at: "\(label).\(key)")
    }
    for (index, child) in (node.arrayValue ?? []).enumerated() {
      found += schemaExamples(in: child, at: "\(label)[\(index)]")
    }
    return found
  }
}
