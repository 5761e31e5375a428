import NIOHTTP1

extension APIError {
  /// The answer to a request NIO's HTTP/1 decoder (llhttp) refused, naming what was wrong.
  ///
  /// The decoder reports an overlong request line and overlong header fields alike as
  /// `headerOverflow`; `requestLineComplete` (a line feed has arrived) tells a URL that is too
  /// long (414) from header fields that are too large (431).
  /// - Parameters:
  ///   - decoderError: What the decoder threw.
  ///   - requestLineComplete: Whether the request line had ended when it threw.
  ///   - limits: The limits the decoder enforced, quoted in the message.
  init(decoderError: HTTPParserError, requestLineComplete: Bool, limits: ConnectionLimits) {
    let kib = { (bytes: Int) in "\(bytes / 1024) KiB" }
    switch decoderError {
    case .headerOverflow where !requestLineComplete:
      self.init(
        "URL too long: the request line may be at most \(kib(limits.maxHeaderFieldSize))", status: 414)
    case .headerOverflow:
      self.init(
        "request header fields too large: at most \(limits.maxHeaderFieldCount) fields of at most "
          + "\(kib(limits.maxHeaderFieldSize)), \(kib(limits.maxHeaderListSize)) in all", status: 431)
    case .invalidMethod:
      self.init("unknown request method; this server's routes answer GET and POST", status: 501)
    case .invalidContentLength, .unexpectedContentLength:
      self.init(
        "invalid Content-Length: give one decimal length, and not together with Transfer-Encoding")
    case .unknown:
      // llhttp's codes for an invalid Transfer-Encoding, one given with Content-Length, and a
      // bare CR all arrive as `.unknown`.
      self.init(
        "malformed request framing: Transfer-Encoding must end in chunked and not come with "
          + "Content-Length, and lines must end in CRLF")
    case .invalidChunkSize:
      self.init("malformed chunked body: invalid chunk size")
    case .invalidVersion:
      self.init("unsupported HTTP version; send HTTP/1.1")
    case .invalidURL:
      self.init("invalid character in the URL")
    case .invalidHeaderToken:
      self.init("invalid character in a header field")
    case .lfExpected:
      self.init("malformed request: lines must end in CRLF")
    case .invalidConstant:
      self.init("malformed request line; send 'METHOD /path HTTP/1.1'")
    case .paused:
      // llhttp pauses on the HTTP/2 connection preface ("PRI * HTTP/2.0").
      self.init("HTTP/2 is not served here; send HTTP/1.1")
    case .invalidEOFState:
      self.init("the client closed its side before the request was complete")
    default:
      self.init("malformed HTTP/1.1 request (\(decoderError))")
    }
  }
}
