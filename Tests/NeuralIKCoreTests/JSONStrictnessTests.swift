import Foundation
import NeuralIKCore
import Testing

@Suite("Members named twice and trailing commas in JSON")
struct JSONStrictnessTests {
  static func first(_ text: String) -> JSONStrictness.Problem? {
    JSONStrictness.firstProblem(in: Array(text.utf8))
  }

  @Test("a member named twice is found, with the path of its object")
  func found() {
    #expect(Self.first(#"{"a": 1, "a": 2}"#) == .duplicate(path: "", key: "a"))
    #expect(
      Self.first(#"{"joints": [{"x": 1}, {"name": "j", "limits": {"lower": 0, "lower": 1}}]}"#)
        == .duplicate(path: "joints[1].limits", key: "lower"))
    #expect(Self.first(#"[[0], {"b": [1, 2], "c": {}, "b": null}]"#) == .duplicate(path: "[1]", key: "b"))
  }

  @Test("names are compared as the decoder reads them: escapes decoded, surrogate pairs joined")
  func escapes() {
    #expect(Self.first(#"{"name": 1, "n\u0061me": 2}"#) == .duplicate(path: "", key: "name"))
    #expect(Self.first(#"{"\ud83e\udd16": 1, "🤖": 2}"#) == .duplicate(path: "", key: "🤖"))
    #expect(Self.first(#"{"a\"b": 1, "a\\b": 2}"#) == nil)
  }

  @Test("no false alarm: one name in different objects, values that spell a name, brackets in strings")
  func noFalseAlarm() {
    #expect(Self.first(#"{"a": {"a": {"a": 1}}, "b": [{"a": 1}, {"a": 2}]}"#) == nil)
    #expect(Self.first(#"{"a": "a", "b": ["a", "b"], "c": "{\"a\": 1, \"a\": 2}"}"#) == nil)
    #expect(Self.first(#"{"x": "}", "y": "]", "z": ",\"x\":"}"#) == nil)
    #expect(Self.first(#"[1, 2.5e-3, true, false, null, "s"]"#) == nil)
    #expect(Self.first("") == nil)
  }

  @Test("a comma before a closing bracket is found where an editor counts it; commas elsewhere are not")
  func trailingComma() {
    #expect(Self.first(#"{"a": 1,}"#) == .trailingComma(line: 1, column: 8))
    #expect(Self.first("{\n  \"a\": [1, 2,\n   ]\n}") == .trailingComma(line: 2, column: 13))
    #expect(Self.first(#"{"é": "ü",  }"#) == .trailingComma(line: 1, column: 10))
    #expect(Self.first(#"[[1], [2],]"#) == .trailingComma(line: 1, column: 10))
    #expect(Self.first(#"{"a": ",}", "b": [","], "c": "\\",}"#) == .trailingComma(line: 1, column: 34))
    #expect(Self.first(#"{"a": [1, 2], "b": {"c": ",]"}}"#) == nil)
    #expect(Self.first(#"{"a": 1, "a": 2,}"#) == .duplicate(path: "", key: "a"))
  }

  @Test("UTF-16 and UTF-32, which decoders accept, are read as text: no false alarm from their bytes")
  func otherEncodings() throws {
    // U+222C is the bytes 2C 22 in UTF-16LE: a comma and a quote, read as bytes.
    for (text, expected) in [
      (#"{"∬∺": 1, "∬": 2}"#, nil),
      (#"{"∬": 1, "∬": 2}"#, JSONStrictness.Problem.duplicate(path: "", key: "∬")),
    ] {
      for encoding in [
        String.Encoding.utf16LittleEndian, .utf16BigEndian, .utf16, .utf32LittleEndian, .utf32BigEndian,
      ] {
        let data = try #require(text.data(using: encoding))
        #expect(JSONStrictness.firstProblem(in: data) == expected, "\(encoding)")
      }
    }
    #expect(Self.first("\u{FEFF}" + #"{"a": 1, "a": 2}"#) == .duplicate(path: "", key: "a"))
  }

  // When each insert copied the object's set of names, this took minutes (quadratic); a 4 MB
  // request of such members cost the server's CPU about ten.
  @Test("an object of 100,000 members, the last a duplicate, is found")
  func largeObject() {
    let text = "{" + (0..<100_000).map { "\"k\($0)\": \"v\"" }.joined(separator: ",") + ", \"k7\": 0}"
    #expect(Self.first(text) == .duplicate(path: "", key: "k7"))
  }

  @Test("every fixture robot file is free of them")
  func fixtures() throws {
    let directory = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appending(path: "Fixtures/robots")
    let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
      .filter { $0.pathExtension == "json" }
    #expect(!files.isEmpty)
    for file in files {
      #expect(JSONStrictness.firstProblem(in: try Data(contentsOf: file)) == nil, "\(file)")
    }
  }
}
