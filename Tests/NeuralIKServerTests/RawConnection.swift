import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A loopback TCP client on plain POSIX sockets: it sends exactly the bytes it is given, as a
/// misbehaving client would, with no HTTP library tidying them up. The socket is non-blocking and
/// every wait is bounded by a deadline, sleeping between attempts rather than blocking a thread of
/// the cooperative pool the server's handlers run on.
final class RawConnection {
  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  /// What arrived before the server closed the connection, or before the time ran out.
  struct Received {
    var bytes: [UInt8] = []
    /// The server closed (end of stream, or a reset).
    var closed = false
    var seconds = 0.0
  }

  private let socket: Int32

  /// Connects to `127.0.0.1:port`; with `receiveBuffer`, the socket's receive buffer is set to that
  /// many bytes first, so that a client that does not read stops the server's sending early.
  init(port: Int, receiveBuffer: Int32? = nil) throws {
    #if canImport(Glibc)
      socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
      socket = Darwin.socket(AF_INET, SOCK_STREAM, 0)
    #endif
    guard socket >= 0 else { throw Failure(description: "socket() failed: errno \(errno)") }
    if var size = receiveBuffer {
      _ = setsockopt(socket, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
    }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard connected == 0 else {
      close(socket)
      throw Failure(description: "connect() to port \(port) failed: errno \(errno)")
    }
    _ = fcntl(socket, F_SETFL, fcntl(socket, F_GETFL) | O_NONBLOCK)
  }

  deinit {
    close(socket)
  }

  /// Sends `bytes` until all are sent, the server stops taking them (it closed), or `timeout`.
  /// - Returns: How many bytes were sent.
  @discardableResult
  func send(_ bytes: [UInt8], timeout: Duration = .seconds(10)) async throws -> Int {
    let deadline = ContinuousClock.now + timeout
    var sent = 0
    while sent < bytes.count, ContinuousClock.now < deadline {
      let count = bytes.withUnsafeBytes { raw -> Int in
        guard let base = raw.baseAddress else { return 0 }
        return sendBytes(base + sent, bytes.count - sent)
      }
      if count > 0 {
        sent += count
      } else if count < 0, errno == EAGAIN || errno == EWOULDBLOCK {
        try await Task.sleep(for: .milliseconds(2))
      } else {
        break  // EPIPE or ECONNRESET: the server has closed
      }
    }
    return sent
  }

  func send(_ text: String, timeout: Duration = .seconds(10)) async throws {
    try await send(Array(text.utf8), timeout: timeout)
  }

  /// Whether something can be read without waiting: data, the end of the stream, or a reset.
  var isReadable: Bool {
    var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
    return poll(&descriptor, 1, 0) > 0
  }

  /// Reads until the server closes the connection, at most `timeout` and `limit` bytes.
  func readUntilClosed(timeout: Duration, limit: Int = 4 << 20) async throws -> Received {
    try await read(timeout: timeout, limit: limit) { _ in false }
  }

  /// Reads until one whole response (head and `Content-Length` body) has arrived, without waiting
  /// for the connection to close; at most `timeout`.
  func readResponse(timeout: Duration) async throws -> RawResponse {
    let received = try await read(timeout: timeout, limit: 4 << 20) { RawResponse.parse($0) != nil }
    guard let (response, _) = RawResponse.parse(received.bytes) else {
      throw Failure(description: "no complete response within \(timeout): \(received.bytes.count) bytes")
    }
    return response
  }

  /// Reads until `done` holds for what arrived, the server closes, `timeout` or `limit` bytes.
  func read(timeout: Duration, limit: Int = 4 << 20, until done: ([UInt8]) -> Bool) async throws -> Received {
    let start = ContinuousClock.now
    var received = Received()
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    while ContinuousClock.now - start < timeout, received.bytes.count < limit, !done(received.bytes) {
      let count = chunk.withUnsafeMutableBytes { raw -> Int in
        guard let base = raw.baseAddress else { return 0 }
        return recv(socket, base, raw.count, 0)
      }
      if count > 0 {
        received.bytes += chunk[..<count]
      } else if count < 0, errno == EAGAIN || errno == EWOULDBLOCK {
        try await Task.sleep(for: .milliseconds(2))
      } else {
        received.closed = true  // 0: end of stream; otherwise a reset
        break
      }
    }
    let elapsed = (ContinuousClock.now - start).components
    received.seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18
    return received
  }

  /// Makes the close (when the connection goes out of scope) a reset rather than a FIN, as a
  /// client that crashes or a middlebox that gives up sends.
  func resetOnClose() {
    var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
    _ = setsockopt(socket, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
  }

  /// Upgrades the connection to the live WebSocket (`/api/live`).
  /// - Returns: the response head as it arrived (a `HTTP/1.1 101` on success).
  func upgradeToLiveSocket() async throws -> String {
    try await send(
      "GET /api/live HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
    let head = try await read(timeout: .seconds(10)) {
      String(decoding: $0, as: UTF8.self).contains("\r\n\r\n")
    }
    return String(decoding: head.bytes, as: UTF8.self)
  }

  /// Closes the sending side (a FIN), keeping the receiving side open for the answer.
  func closeSending() {
    _ = shutdown(socket, Int32(SHUT_WR))
  }

  private func sendBytes(_ base: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
      Glibc.send(socket, base, count, Int32(MSG_NOSIGNAL))
    #else
      Darwin.send(socket, base, count, 0)
    #endif
  }
}

/// One HTTP/1.1 response as it came off the wire.
struct RawResponse {
  var status: Int
  /// Header fields, names lowercased.
  var headers: [String: String]
  var body: [UInt8]

  /// The body as a JSON object, if it is one.
  var json: [String: Any]? {
    (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
  }

  /// The first response in `bytes` and the bytes after it, or nil until it is complete. A body
  /// needs a `Content-Length` (every response this server writes has one).
  static func parse(_ bytes: [UInt8]) -> (RawResponse, rest: [UInt8])? {
    let separator = Array("\r\n\r\n".utf8)
    guard bytes.count >= separator.count,
      let end = (0...(bytes.count - separator.count)).first(where: {
        bytes[$0..<($0 + separator.count)].elementsEqual(separator)
      })
    else { return nil }
    let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
    let statusLine = lines[0].split(separator: " ")
    guard statusLine.count >= 2, let status = Int(statusLine[1]) else { return nil }
    var headers: [String: String] = [:]
    for line in lines.dropFirst() {
      guard let colon = line.firstIndex(of: ":") else { continue }
      headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
        in: .whitespaces)
    }
    let length = headers["content-length"].flatMap { Int($0) } ?? 0
    let bodyStart = end + separator.count
    guard bytes.count >= bodyStart + length else { return nil }
    let response = RawResponse(
      status: status, headers: headers, body: Array(bytes[bodyStart..<(bodyStart + length)]))
    return (response, Array(bytes[(bodyStart + length)...]))
  }
}
