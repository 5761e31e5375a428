import Foundation
import Hummingbird
import HummingbirdWebSocket
import NIOCore
import NeuralIK

/// Where Debian's `libjs-three` installs three.js (r111); the server serves it under `/three/`.
public let systemThreeJSDirectory = "/usr/share/javascript/three"

/// The web app: the page, three.js, `GET /api/robot`, `POST /api/solve`, `GET /api/map` (with a
/// `map`) and the `/api/live` WebSocket, on `host:port`, every connection held to `limits` (see
/// `ConnectionLimits`), and the DocC reference under `/docs` from `docs`.
public func buildApplication(
  service: SolveService, map: ReachabilityMap? = nil, host: String = "127.0.0.1", port: Int = 8080,
  threeJSDirectory: String = systemThreeJSDirectory, limits: ConnectionLimits = ConnectionLimits(),
  docs: DocsSite = DocsSite(directory: nil), onServerRunning: @escaping @Sendable () async -> Void = {}
) -> some ApplicationProtocol {
  let router = buildRouter(service: service, map: map, threeJSDirectory: threeJSDirectory, docs: docs)
  var guarded = limits
  guarded.listensOnLoopback = RequestReadGuard.isLoopbackName(host.lowercased())
  let webSocketRouter = Router(context: LiveRequestContext.self)
  webSocketRouter.ws(RouterPath(LiveSession.path)) { _, _ in
    .upgrade([:])
  } onUpgrade: { inbound, outbound, _ in
    try await LiveSession(service: service).run(inbound: inbound, outbound: outbound)
  }
  return Application(
    router: router,
    server: .guardedHTTP1WebSocketUpgrade(webSocketRouter: webSocketRouter, limits: guarded),
    configuration: .init(address: .hostname(host, port: port), serverName: "neural-ik"),
    onServerRunning: { _ in await onServerRunning() })
}

/// The HTTP routes, built from plain functions so that tests can drive them in process.
public func buildRouter(
  service: SolveService, map: ReachabilityMap? = nil, threeJSDirectory: String = systemThreeJSDirectory,
  docs: DocsSite = DocsSite(directory: nil)
) -> Router<BasicRequestContext> {
  // HEAD answers as GET does, without the body (RFC 9110 §9.3.2): `curl -I` and health checks.
  let router = Router(options: .autoGenerateHeadEndpoints)
  // First, so that it wraps every route and the not-found answer too.
  router.add(middleware: JSONErrorMiddleware())
  let description = {
    var built = RobotDescriptionBuilder(service: service).build()
    built.map = map != nil
    return built
  }()
  router.get("/") { _, _ in try WebAssets.response(for: "index.html") }
  router.get("/app.js") { _, _ in try WebAssets.response(for: "app.js") }
  router.get("/map.js") { _, _ in try WebAssets.response(for: "map.js") }
  router.get("/style.css") { _, _ in try WebAssets.response(for: "style.css") }
  router.get("/openapi.yaml") { _, _ in try WebAssets.response(for: "openapi.yaml") }
  router.get("/three/**") { _, context in
    try WebAssets.threeJS(
      path: context.parameters.getCatchAll().joined(separator: "/"), root: threeJSDirectory)
  }
  router.get("/docs") { _, _ in try docs.landing() }
  router.get("/docs/**") { _, context in
    try docs.file(path: context.parameters.getCatchAll().joined(separator: "/"))
  }
  router.get("/api/robot") { _, _ in JSONResponse.ok(description) }
  router.get("/workspace.js") { _, _ in try WebAssets.response(for: "workspace.js") }
  router.get("/api/workspace") { request, _ -> Response in
    do {
      let workspace = try WorkspaceQuery(
        parameters: request.uri.queryParameters.map { (name: String($0.key), value: String($0.value)) })
      return JSONResponse.ok(data: try await service.workspaceAnswerOffPool(workspace))
    } catch let error as APIError {
      return JSONResponse.error(error)
    }
  }
  // Encoded once: a map's answer is the same for every request, and can be large.
  let mapAnswer = map.map { JSONResponse.encode(MapDescription($0)) }
  router.get("/api/map") { _, _ -> Response in
    guard let mapAnswer else {
      return JSONResponse.error(
        APIError("no map is loaded; start the server with --map FILE.nikmap", status: 404))
    }
    return JSONResponse.ok(data: mapAnswer)
  }
  // The WebSocket's path asked for without an upgrade: say what it is (RFC 9110 §15.5.22).
  router.get(RouterPath(LiveSession.path)) { _, _ -> Response in
    var response = JSONResponse.error(
      APIError(
        "\(LiveSession.path) is a WebSocket: open it with an upgrade (Connection: Upgrade, Upgrade: websocket)",
        status: 426))
    response.headers[.upgrade] = "websocket"
    response.headers[.connection] = "Upgrade"
    return response
  }
  router.post("/api/solve") { request, _ -> Response in
    let body: ByteBuffer
    do {
      body = try await request.body.collect(upTo: ConnectionLimits.maxBodySize)
    } catch is NIOTooManyBytesError {
      return JSONResponse.error(.bodyTooLarge)
    } catch let error as APIError {
      // The connection's RequestReadGuard: a malformed body, or one too slow to arrive.
      return JSONResponse.error(error)
    } catch {
      return JSONResponse.error(APIError("the request body could not be read"))
    }
    do {
      return JSONResponse.ok(data: try await service.answerOffPool(body: Data(buffer: body)))
    } catch let error as APIError {
      return JSONResponse.error(error)
    }
  }
  return router
}

/// Decodes request bodies with messages a client can act on. `package` for the fuzz targets.
package enum JSONRequest {
  package static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws(APIError) -> T {
    let value: T
    do {
      value = try JSONDecoder().decode(type, from: data)
    } catch {
      // The decoder checks a number's or a string's syntax only when the field is read, and then
      // says "not valid JSON" at best and, of a broken string, that it is no string:
      // `syntaxError(in:)` checks the whole body and says where it breaks.
      if let syntax = JSONValue.syntaxError(in: data) {
        throw APIError("body is not valid JSON: \(syntax); send {\"target\": [x, y, z]}")
      }
      throw explained(error)
    }
    // The decoder keeps one of two members of one name (which one the client meant is unknown),
    // and passes a comma that other readers refuse.
    switch JSONStrictness.firstProblem(in: data) {
    case .duplicate(let path, let key)?:
      let place = path.isEmpty ? "the request" : "field \(path.quotedExcerpt)"
      throw APIError("\(place) gives \(key.quotedExcerpt) twice; give each field once")
    case .trailingComma(let line, let column)?:
      throw APIError("body is not valid JSON: a comma after the last item at line \(line), column \(column)")
    case nil: break
    }
    return value
  }

  /// A decoding error of a body whose syntax is sound: a field missing or of the wrong type.
  private static func explained(_ error: any Error) -> APIError {
    switch error {
    case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
      // `null`, an array or a number where the request object belongs.
      if context.codingPath.isEmpty {
        return APIError("the body must be a JSON object: send {\"target\": [x, y, z]}")
      }
      return APIError("field \(path(context).quotedExcerpt): \(readable(context.debugDescription))")
    case DecodingError.keyNotFound(let key, _):
      return APIError("missing field '\(key.stringValue)'")
    case DecodingError.dataCorrupted(let context) where !context.codingPath.isEmpty:
      // Valid JSON that a field cannot hold: 1.5 or 2⁶³ for an integer `id`.
      return APIError("field \(path(context).quotedExcerpt): \(readable(context.debugDescription))")
    default:
      return APIError("body is not valid JSON; send {\"target\": [x, y, z]}")
    }
  }

  /// A decoder's message in JSON's words rather than Swift's types ("Expected to decode
  /// Array<Double> but found a dictionary instead" says an array was expected and an object came).
  private static func readable(_ message: String) -> String {
    var text = message.replacingOccurrences(of: "Swift.", with: "")
    for (pattern, words) in [
      (#"Dictionary<[^>]*>"#, "an object"), (#"Array<\S*"#, "an array"), (#"\bDouble\b"#, "a number"),
      (#"\bInt\b"#, "an integer"), (#"\bString\b"#, "a string"), (#"\bBool\b"#, "true or false"),
      (#"a dictionary"#, "an object"),
    ] {
      text = text.replacingOccurrences(of: pattern, with: words, options: .regularExpression)
    }
    return text
  }

  private static func path(_ context: DecodingError.Context) -> String {
    context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
  }
}

/// JSON responses.
package enum JSONResponse {
  static func ok<T: Encodable>(_ value: T) -> Response {
    make(status: .ok, data: encode(value))
  }

  /// A solve answer as JSON: ``SolveResponse/jsonData()``.
  package static func encode(_ response: SolveResponse) -> Data { response.jsonData() }

  /// An answer encoded beforehand.
  static func ok(data: Data) -> Response { make(status: .ok, data: data) }

  static func error(_ error: APIError) -> Response {
    make(status: HTTPResponse.Status(code: error.status), data: encode(["error": error.message]))
  }

  package static func encode<T: Encodable>(_ value: T) -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    // Non-finite numbers (an infinite gap) are written as strings rather than failing.
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    return (try? encoder.encode(value)) ?? Data("{\"error\": \"could not encode the response\"}".utf8)
  }

  private static func make(status: HTTPResponse.Status, data: Data) -> Response {
    Response(
      status: status, headers: [.contentType: "application/json; charset=utf-8"],
      body: ResponseBody(byteBuffer: ByteBuffer(data: data)))
  }
}
