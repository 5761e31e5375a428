import Foundation
import Hummingbird

/// The library's DocC reference, served under `/docs`.
///
/// `make docs` builds it as a static site for the base path `/docs` (swift-docc-plugin's
/// `--transform-for-static-hosting --hosting-base-path docs`) into ``defaultDirectory``;
/// `neural-ik serve --docs DIR` serves another folder. Without a built site, `/docs` answers the
/// API's one error shape, a 404 that says how to build it.
public struct DocsSite: Sendable {
  /// Where `make docs` writes the site, relative to the package folder (`serve`'s default).
  public static let defaultDirectory = ".build/docs"
  /// Where `/docs` leads: the reference of the `NeuralIK` library product.
  public static let landingPath = "/docs/documentation/neuralik/"

  /// The site's folder, or `nil` for a server without one.
  public var directory: String?

  /// A site served from `directory`.
  ///
  /// - Parameter directory: The folder `make docs` wrote (it holds `index.html`), or `nil` to
  ///   serve none. A folder that does not exist yet is looked up again on each request, so a site
  ///   built while the server runs is served.
  public init(directory: String?) {
    self.directory = directory
  }

  /// The root folder, when it holds a built site.
  var root: URL? {
    guard let directory, FileManager.default.fileExists(atPath: directory + "/index.html") else { return nil }
    return URL(filePath: directory, directoryHint: .isDirectory).standardizedFileURL
  }

  /// The 404 for a server without a built site: what is missing and the command that builds it.
  var notBuilt: APIError {
    let missing =
      directory.map { "no documentation site at '\($0)'" }
      ?? "this server was started without a documentation site"
    return APIError(
      "\(missing): build it with `make docs` (it writes \(Self.defaultDirectory)), then run `neural-ik serve` "
        + "from the package folder or pass --docs DIR", status: 404)
  }

  /// `GET /docs`: a redirect to ``landingPath``.
  ///
  /// - Throws: ``APIError`` (404) when no site is built.
  func landing() throws(APIError) -> Response {
    guard root != nil else { throw notBuilt }
    let link = Self.landingPath
    return Response(
      status: .found,
      headers: [.location: link, .contentType: "text/html; charset=utf-8", .cacheControl: "no-cache"],
      body: ResponseBody(byteBuffer: ByteBuffer(string: "<a href=\"\(link)\">\(link)</a>\n")))
  }

  /// `GET /docs/PATH`: a file of the site; a folder answers with its `index.html`, as a static
  /// host does, so that DocC's page URLs (`/docs/documentation/neuralik/solver`) work.
  ///
  /// - Parameter path: The path below `/docs/`, `/`-separated, as the request has it (each part
  ///   is percent-decoded here, then checked).
  /// - Returns: The file, with its media type.
  /// - Throws: ``APIError`` (404) when no site is built, for a path with a `.`, `..` or `~`
  ///   component (paths never leave the site's folder), and for a file the site does not have.
  func file(path: String) throws(APIError) -> Response {
    guard let root else { throw notBuilt }
    if path.isEmpty { return try landing() }
    // DocC's page names hold parentheses and colons, which a client may send percent-encoded; a
    // part that decodes to a separator, `.`, `..` or `~…` is refused like its plain form.
    let components = path.split(separator: "/", omittingEmptySubsequences: false).map {
      String($0).removingPercentEncoding
    }
    guard
      components.allSatisfy({ part in
        guard let part else { return false }
        return !part.isEmpty && part != ".." && part != "." && !part.hasPrefix("~") && !part.contains("/")
          && !part.contains("\0")
      })
    else {
      throw APIError(
        "no documentation page '\(path)': a path may not contain '.', '..' or '~' parts", status: 404)
    }
    var url = root.appending(path: components.compactMap { $0 }.joined(separator: "/"))
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
      url = url.appending(path: "index.html")
    }
    // A link inside the site could still point out of it; what is served must resolve inside.
    let resolved = url.resolvingSymlinksInPath().path
    let rootPath = root.resolvingSymlinksInPath().path
    guard resolved.hasPrefix(rootPath + "/"), let data = FileManager.default.contents(atPath: resolved) else {
      throw APIError(
        "no documentation page '\(path)'; the reference starts at \(Self.landingPath)", status: 404)
    }
    return Response(
      status: .ok, headers: [.contentType: Self.contentType(resolved), .cacheControl: "no-cache"],
      body: ResponseBody(byteBuffer: ByteBuffer(data: data)))
  }

  /// The media type of a file of a DocC site, by its extension.
  static func contentType(_ path: String) -> String {
    switch URL(filePath: path).pathExtension.lowercased() {
    case "html": "text/html; charset=utf-8"
    case "css": "text/css; charset=utf-8"
    case "js": "text/javascript; charset=utf-8"
    case "json": "application/json"
    case "svg": "image/svg+xml"
    case "png": "image/png"
    case "jpg", "jpeg": "image/jpeg"
    case "ico": "image/x-icon"
    default: "application/octet-stream"
    }
  }
}
