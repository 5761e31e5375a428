import Testing

@testable import NeuralIKCLI

@Suite("The address serve announces")
struct ServeAddressTests {
  @Test(
    "an IPv6 host goes in brackets, so that its colons do not read as the port's, its zone's % as %25; a name or IPv4 address as it is",
    arguments: [
      ("127.0.0.1", "http://127.0.0.1:8080/"), ("::1", "http://[::1]:8080/"),
      ("fe80::1%eth0", "http://[fe80::1%25eth0]:8080/"), ("localhost", "http://localhost:8080/"),
    ])
  func bracketsIPv6(host: String, expected: String) {
    #expect(ServeCommand.address(host: host, port: 8080) == expected)
  }
}
