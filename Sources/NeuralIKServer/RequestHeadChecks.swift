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
    let codings = head.headers[canonicalForm: "content-encoding"].map { $0.lowercased() }
    guard let coding = codings.first(where: { $0 != "identity" }) else { return nil }
    return APIError(
      "request bodies are read as plain JSON: Content-Encoding '\(coding)' is not supported; send the body uncompressed",
      status: 415)
  }

  /// A 403 for a request a browser sent from a page of another site: its `Origin` is not this
  /// server's (the scheme and authority of its `Host`) nor one of `allowed`. Without it, any page
  /// a user visited could drive this server's solver from their browser: a form or `fetch` with
  /// a `text/plain` body needs no preflight, and a WebSocket none at all. Requests without an
  /// `Origin` (curl, scripts, the API's clients), or with one of another scheme than a page's,
  /// are not browsers' cross-site requests.
  static func refusedOrigin(_ head: HTTPRequestHead, allowed: Set<String>) -> APIError? {
    guard let origin = head.headers[canonicalForm: "origin"].first.map({ String($0) }) else { return nil }
    if allowed.contains("*") || allowed.contains(origin.lowercased()) { return nil }
    let host = head.headers[canonicalForm: "host"].first.map { String($0).lowercased() }
    let authority = Self.authority(ofOrigin: origin)
    // A page's origin is http(s), or `null` for a sandboxed or local one. Other schemes are not
    // pages another site controls: Hummingbird's WebSocket client sends `ws://localhost`.
    if authority == nil, origin.lowercased() != "null" { return nil }
    if let host, let authority, authority == Self.withoutDefaultPort(host) { return nil }
    let remedy =
      authority == nil
      ? "only its own pages, or those of origins serve --allow-origin names, may"
      : "start serve with --allow-origin \(origin) to let it"
    return APIError(
      "a page of '\(origin)' may not call this server (its pages are on '\(host ?? "no Host")'); \(remedy)",
      status: 403)
  }

  /// `host[:port]` of `http://host[:port]`, lower case, without the scheme's default port; `nil`
  /// for `null` and anything not an HTTP origin.
  static func authority(ofOrigin origin: String) -> String? {
    let lower = origin.lowercased()
    for (scheme, port) in [("http://", ":80"), ("https://", ":443")] where lower.hasPrefix(scheme) {
      let authority = lower.dropFirst(scheme.count)
      guard !authority.isEmpty, !authority.contains("/") else { return nil }
      return authority.hasSuffix(port) ? String(authority.dropLast(port.count)) : String(authority)
    }
    return nil
  }

  /// `Host` compared as the origin's authority is: `:80` is the default port of the plain HTTP
  /// the server speaks.
  private static func withoutDefaultPort(_ host: String) -> String {
    host.hasSuffix(":80") ? String(host.dropLast(3)) : host
  }
}
