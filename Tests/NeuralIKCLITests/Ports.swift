import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A loopback port something already listens on, and its socket (close it when done).
func takenPort() throws -> (port: Int, socket: Int32) {
  let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
  try #require(descriptor >= 0)
  var address = sockaddr_in()
  address.sin_family = sa_family_t(AF_INET)
  address.sin_addr.s_addr = inet_addr("127.0.0.1")
  address.sin_port = 0
  var length = socklen_t(MemoryLayout<sockaddr_in>.size)
  let bound = withUnsafeMutablePointer(to: &address) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
      bind(descriptor, pointer, length) == 0 && listen(descriptor, 1) == 0
        && getsockname(descriptor, pointer, &length) == 0
    }
  }
  try #require(bound)
  return (Int(UInt16(bigEndian: address.sin_port)), descriptor)
}

/// A loopback port no one listens on: one the system just gave out and took back.
func freePort() throws -> Int {
  let (port, descriptor) = try takenPort()
  close(descriptor)
  return port
}
