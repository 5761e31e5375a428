import Foundation
import Hummingbird

/// The page's own files (bundled) and three.js (from the system).
enum WebAssets {
  static func response(for name: String) throws -> Response {
    guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Web"),
      let data = FileManager.default.contents(atPath: url.path)
    else { throw HTTPError(.notFound) }
    return Response(
      status: .ok, headers: [.contentType: contentType(name), .cacheControl: "no-cache"],
      body: ResponseBody(byteBuffer: ByteBuffer(data: data)))
  }

  /// A file under three.js's directory; paths that climb out of it are refused.
  static func threeJS(path: String, root: String) throws -> Response {
    let components = path.split(separator: "/")
    guard !components.isEmpty, components.allSatisfy({ $0 != ".." && $0 != "." && !$0.hasPrefix("~") }),
      path.hasSuffix(".js")
    else { throw HTTPError(.notFound) }
    guard let data = FileManager.default.contents(atPath: root + "/" + path) else {
      throw HTTPError(.notFound, message: "three.js file '\(path)' not found; install Debian's libjs-three")
    }
    return Response(
      status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "max-age=3600"],
      body: ResponseBody(byteBuffer: ByteBuffer(data: data)))
  }

  static func contentType(_ name: String) -> String {
    if name.hasSuffix(".html") { return "text/html; charset=utf-8" }
    if name.hasSuffix(".css") { return "text/css; charset=utf-8" }
    // The API description: JSON, which is YAML too (RFC 9512 names the type).
    if name.hasSuffix(".yaml") { return "application/yaml" }
    return "text/javascript; charset=utf-8"
  }
}
