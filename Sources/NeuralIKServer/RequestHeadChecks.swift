import NIOHTTP1

/// Requests refused on their head, before a byte of their body is read: what NIO or Hummingbird
/// would answer badly (without a length, or as if the body were something else), and pages of
/// other sites.
extension RequestReadGuard {
  /// A 405 for `CONNECT`, which asks for a tunnel, and the connection closes. NIO's encoder sends
  /// any response to `CONNECT` without a body or length, as if a tunnel began: the route's 404
  /// left the connection open, and the client could not tell where the answer ended.
  static func refusedMethod(_ head: HTTPRequestHead) -> APIError? {
    guard head.method == .CONNECT else { return nil }
    return APIError("CONNECT asks for a tunnel, and this server is not a proxy", status: 405)
  }

  /// A 415 for a body in a content coding (`Content-Encoding: gzip`): it was read as plain JSON,
  /// and a compressed request failed as "not valid JSON" (RFC 9110 §15.5.16).
  static func refusedEncoding(_ head: HTTPRequestHead) -> APIError? {
    guard let coding = otherCoding(head, "content-encoding", than: "identity") else { return nil }
    return APIError(
      "request bodies are read as plain JSON: Content-Encoding \(coding.quotedExcerpt) is not supported; send the body uncompressed",
      status: 415)
  }

  /// A 400 for a request with more than one `Host` field (RFC 9112 §3.2): which one the origin
  /// check should compare is anyone's guess; and for an HTTP/1.1 request with none.
  static func refusedHosts(_ head: HTTPRequestHead) -> APIError? {
    // HTTP/1.0 predates the field; an HTTP/1.1 request without one is malformed (RFC 9112 §3.2).
    // (An empty one is allowed, for a target without an authority.)
    let version = head.version
    if head.headers["host"].isEmpty, version.major > 1 || (version.major == 1 && version.minor >= 1) {
      return APIError(
        "an HTTP/1.1 request has a Host field; this one has none (send Host: the server's name and port)")
    }
    let hosts = head.headers[canonicalForm: "host"].count
    guard hosts > 1 else { return nil }
    return APIError("a request has one Host field; this one has \(hosts)")
  }

  /// A 501 for a transfer coding other than `chunked` (`Transfer-Encoding: gzip, chunked`): the
  /// body was read as plain JSON (RFC 9112 §6.1).
  static func refusedTransferCoding(_ head: HTTPRequestHead) -> APIError? {
    guard let coding = otherCoding(head, "transfer-encoding", than: "chunked") else { return nil }
    return APIError(
      "Transfer-Encoding \(coding.quotedExcerpt) is not supported; send the body with chunked alone or a Content-Length",
      status: 501)
  }

  /// The first coding `field` lists (NIO splits its commas) that is not `accepted`, lower case.
  private static func otherCoding(_ head: HTTPRequestHead, _ field: String, than accepted: String) -> String?
  {
    head.headers[canonicalForm: field].lazy.map { $0.lowercased() }.first { $0 != accepted }
  }

  /// A 403 for a request a browser sent from a page of another site: its `Origin` is not this
  /// server's (`http://` and the authority of its `Host`) nor one of `allowed` (as
  /// ``ConnectionLimits/normalizedOrigin(_:)`` writes them). Without it, any page a user visited
  /// could drive this server's solver from their browser: a form or `fetch` with a `text/plain`
  /// body needs no preflight, and a WebSocket none at all. A server on a loopback address also
  /// refuses its own origin under a name that is not loopback's: a page of `evil.example`, its
  /// name pointed at 127.0.0.1 (DNS rebinding), is same-origin with itself. Requests without an
  /// `Origin` (curl, scripts, the API's clients), or with one of another scheme than a page's
  /// (Hummingbird's WebSocket client sends `ws://localhost`), are not a browser's cross-site
  /// requests.
  static func refusedOrigin(_ head: HTTPRequestHead, allowed: Set<String>, loopback: Bool) -> APIError? {
    // Read as sent: the canonical form splits a list at its commas and drops an empty value.
    let origins = head.headers["origin"]
    guard !origins.isEmpty else { return nil }
    guard origins.count == 1 else {
      return APIError("a request has one Origin field; this one has \(origins.count)", status: 403)
    }
    let origin = origins[0]
    let lower = origin.lowercased()
    let normalized = ConnectionLimits.normalizedOrigin(origin)
    // A page's origin is http(s), or `null` (or, malformed, empty) for a sandboxed or local one.
    let fromPage =
      lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower == "null" || lower.isEmpty
    if !fromPage || allowed.contains("*") || normalized.map(allowed.contains) == true { return nil }
    let host = head.headers[canonicalForm: "host"].first.map { String($0).lowercased() }
    let shown = origin.quotedExcerpt
    if let host, let normalized, normalized == "http://" + withoutDefaultPort(host) {
      guard loopback, !isLoopbackName(host) else { return nil }
      return APIError(
        "a page of \(shown) may not call this server: it listens on a loopback address, and \(host.quotedExcerpt) is not a name of one (DNS rebinding); start serve with --allow-origin \(normalized) to let it",
        status: 403)
    }
    let remedy =
      normalized.map { "start serve with --allow-origin \($0) to let it" }
      ?? "only its own pages, or those of origins serve --allow-origin names, may"
    return APIError(
      "a page of \(shown) may not call this server (its pages are on \((host ?? "no Host").quotedExcerpt)); \(remedy)",
      status: 403)
  }

  /// Whether `host` (`Host`'s value, port and all) names a loopback address: `localhost` and its
  /// subdomains, 127.0.0.0/8 and `[::1]`.
  static func isLoopbackName(_ host: String) -> Bool {
    var name = Substring(host)
    // As `serve --host ::1` gives it, without brackets.
    if name == "::1" { return true }
    if name.hasPrefix("[") {
      name = name.dropFirst().prefix { $0 != "]" }
      return name == "::1"
    }
    name = name.prefix { $0 != ":" }
    if name.hasSuffix(".") { name = name.dropLast() }
    if name == "localhost" || name.hasSuffix(".localhost") { return true }
    let parts = name.split(separator: ".", omittingEmptySubsequences: false)
    return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
  }

  /// `Host` compared as the origin's authority is: `:80` is the default port of the plain HTTP
  /// the server speaks.
  private static func withoutDefaultPort(_ host: String) -> String {
    host.hasSuffix(":80") ? String(host.dropLast(3)) : host
  }
}
