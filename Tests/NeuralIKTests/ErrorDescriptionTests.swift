import Foundation
import NeuralIK
import Testing

@Suite("Error messages")
struct ErrorDescriptionTests {
  @Test(
    "localizedDescription is each error's own message, not Foundation's 'The operation could not be completed'"
  )
  func localizedDescriptions() {
    let errors: [any Error & CustomStringConvertible] = [
      IKError.wrongDimension(what: "target", expected: 3, got: 2), IKError.nonFinite("target (nan, 0, 0)"),
      ModelFileError.notAModel, ModelFileError.unsupportedVersion(found: 9, supported: 1),
    ]
    for error in errors {
      #expect(error.localizedDescription == error.description, "\(error)")
      #expect(!error.localizedDescription.contains("could not be completed"))
    }
  }
}
