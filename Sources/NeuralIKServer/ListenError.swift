import Foundation
import NIOCore
import NIOPosix

/// Why the server cannot listen where it was asked to, in words: a port already taken, one that
/// needs privileges, or an address this machine does not have.
public struct ListenError: Error, CustomStringConvertible {
  public let description: String

  /// `error`, from binding `host:port`, described for a person.
  public init(_ error: any Error, host: String, port: Int) {
    let place = "\(host):\(port)"
    switch (error as? IOError)?.errnoCode {
    case EADDRINUSE?:
      description =
        "port \(port) on \(host) is already in use: stop what listens there, or pick another --port"
    case EACCES?:
      description = "port \(port) on \(host) needs privileges: pick one above 1023 with --port"
    case EADDRNOTAVAIL?:
      description = "cannot listen on \(place): this machine has no such address; try --host 127.0.0.1"
    default:
      description = "cannot listen on \(place): \(error)"
    }
  }

  /// `error` described as a failure to listen, if it is one of the system's (NIO's `IOError`, as
  /// binding throws); `nil` for anything else.
  public init?(ifSystemError error: any Error, host: String, port: Int) {
    guard error is IOError else { return nil }
    self.init(error, host: host, port: port)
  }

  /// Binds `host:port` and lets go at once: a port already taken is found before work that takes
  /// minutes (`serve` trains a missing model first), not after it.
  public static func check(host: String, port: Int) async throws(ListenError) {
    do {
      let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
        .bind(host: host, port: port).get()
      try await channel.close()
    } catch {
      throw ListenError(error, host: host, port: port)
    }
  }
}
