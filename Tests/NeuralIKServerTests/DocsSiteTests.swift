import Foundation
import Hummingbird
import HummingbirdTesting
import NeuralIKServer
import Testing

/// `/docs` against a tiny fake DocC site in a temporary folder, and without one.
@Suite("Documentation site")
struct DocsSiteTests {
  /// A folder shaped like `make docs`'s output: `index.html`, a script, a page folder, and a
  /// secret beside the site that no path may reach.
  static func fakeSite() throws -> URL {
    let base = FileManager.default.temporaryDirectory.appending(path: "neural-ik-docs-\(UUID().uuidString)")
    let site = base.appending(path: "site")
    let page = site.appending(path: "documentation/neuralik")
    try FileManager.default.createDirectory(at: page, withIntermediateDirectories: true)
    try Data("<title>root</title>".utf8).write(to: site.appending(path: "index.html"))
    try Data("var docs = 1;".utf8).write(to: site.appending(path: "app.js"))
    try Data("<title>NeuralIK</title>".utf8).write(to: page.appending(path: "index.html"))
    try Data("the secret beside the site".utf8).write(to: base.appending(path: "secret.txt"))
    return site
  }

  static func app(docs: DocsSite) throws -> some ApplicationProtocol {
    Application(router: buildRouter(service: try APITests.service(), docs: docs))
  }

  @Test("a built site: /docs leads to the library's page; folders answer their index.html; files their type")
  func served() async throws {
    let site = try Self.fakeSite()
    defer { try? FileManager.default.removeItem(at: site.deletingLastPathComponent()) }
    let spec = try OpenAPISpec.load()
    try await Self.app(docs: DocsSite(directory: site.path)).test(.router) { client in
      let landing = try await client.execute(uri: "/docs", method: .get)
      #expect(landing.status == .found)
      #expect(landing.headers[.location] == DocsSite.landingPath)
      #expect(spec.problems(of: landing, "get", "/docs").isEmpty)
      let page = try await client.execute(uri: "/docs/documentation/neuralik/", method: .get)
      #expect(page.status == .ok)
      #expect(String(buffer: page.body) == "<title>NeuralIK</title>")
      #expect(page.headers[.contentType] == "text/html; charset=utf-8")
      #expect(spec.problems(of: page, "get", "/docs/{path}").isEmpty)
      let encoded = try await client.execute(uri: "/docs/documentation/%6eeuralik/", method: .get)
      #expect(String(buffer: encoded.body) == "<title>NeuralIK</title>", "a percent-encoded path is decoded")
      let script = try await client.execute(uri: "/docs/app.js", method: .get)
      #expect(String(buffer: script.body) == "var docs = 1;")
      #expect(script.headers[.contentType] == "text/javascript; charset=utf-8")
      #expect(spec.problems(of: script, "get", "/docs/{path}").isEmpty)
    }
  }

  @Test("paths out of the site's folder, and files it lacks, are refused in the one error shape")
  func traversal() async throws {
    let site = try Self.fakeSite()
    defer { try? FileManager.default.removeItem(at: site.deletingLastPathComponent()) }
    let spec = try OpenAPISpec.load()
    try await Self.app(docs: DocsSite(directory: site.path)).test(.router) { client in
      for uri in [
        "/docs/../secret.txt", "/docs/../../../etc/passwd", "/docs/documentation/../../secret.txt",
        "/docs/./index.html", "/docs/~/secret.txt", "/docs/no/such/page", "/docs/%2e%2e/secret.txt",
        "/docs/documentation%2f..%2f..%2fsecret.txt", "/docs/%7e/secret.txt", "/docs/bad%zz",
      ] {
        let response = try await client.execute(uri: uri, method: .get)
        #expect(response.status == .notFound, "\(uri)")
        #expect(!String(buffer: response.body).contains("the secret beside the site"), "\(uri)")
        let body = try APITests.json(response.body)
        #expect(body["error"] is String, "the one error shape: \(uri) \(body)")
        #expect(spec.problems(of: response, "get", "/docs/{path}").isEmpty, "\(uri)")
      }
    }
  }

  @Test("no site built: /docs is a 404 that says how to build it", arguments: [nil, "/nonexistent/docs"])
  func missing(_ directory: String?) async throws {
    try await Self.app(docs: DocsSite(directory: directory)).test(.router) { client in
      for uri in ["/docs", "/docs/documentation/neuralik/"] {
        let response = try await client.execute(uri: uri, method: .get)
        #expect(response.status == .notFound, "\(uri)")
        let message = try #require(try APITests.json(response.body)["error"] as? String)
        #expect(message.contains("make docs") && message.contains("--docs"), "\(message)")
        if let directory { #expect(message.contains(directory)) }
      }
    }
  }
}
