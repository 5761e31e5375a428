import Foundation
import TestSupport
import Testing

/// The DocC catalog's getting-started example is the README's library example, which
/// `ReadmeExampleTests` runs: a change to one without the other fails here.
@Suite("DocC catalog")
struct DocCatalogTests {
  /// The first fenced Swift block after `heading` in a Markdown file.
  static func swiftBlock(in url: URL, after heading: String) throws -> String {
    let text = try String(contentsOf: url, encoding: .utf8)
    let section = try #require(text.range(of: heading), "\(url.lastPathComponent) has no '\(heading)'")
    let rest = text[section.upperBound...]
    let open = try #require(rest.range(of: "```swift\n"), "no Swift block after '\(heading)'")
    let close = try #require(rest[open.upperBound...].range(of: "\n```"), "an unclosed Swift block")
    return String(rest[open.upperBound..<close.lowerBound])
  }

  @Test("Getting Started shows the README's library example, verbatim")
  func gettingStartedIsTheReadmeExample() throws {
    let root = Fixtures.directory.deletingLastPathComponent()
    let readme = try Self.swiftBlock(in: root.appending(path: "README.md"), after: "## Library")
    let article = try Self.swiftBlock(
      in: root.appending(path: "Sources/NeuralIK/NeuralIK.docc/GettingStarted.md"), after: "## Overview")
    #expect(readme.contains("SolverFactory.make"), "the README block found is the library example")
    #expect(article == readme)
  }
}
