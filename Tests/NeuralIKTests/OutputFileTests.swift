import Foundation
import TestSupport
import Testing

@testable import NeuralIK

@Suite("Output files")
struct OutputFileTests {

  static func type(_ url: URL) throws -> FileAttributeType? {
    try FileManager.default.attributesOfItem(atPath: url.path)[.type] as? FileAttributeType
  }

  @Test("a link is written through: its target gets the data and keeps its mode, the link stays a link")
  func link() throws {
    let directory = try scratchDirectory("output")
    defer { try? FileManager.default.removeItem(at: directory) }
    let target = directory.appending(path: "real.csv")
    let link = directory.appending(path: "link.csv")
    try Data("old\n".utf8).write(to: target)
    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: target.path)
    try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
    try OutputFile.write(Data("new\n".utf8), to: link)
    #expect(try Self.type(link) == .typeSymbolicLink)
    #expect(try String(contentsOf: target, encoding: .utf8) == "new\n")
    let mode = try FileManager.default.attributesOfItem(atPath: target.path)[.posixPermissions] as? NSNumber
    #expect(mode?.intValue == 0o600)
  }

  @Test(
    "a link to a file not written yet creates that file, through a relative link and a chain of two, and the links stay links; a loop of links is an error"
  )
  func danglingLink() throws {
    let directory = try scratchDirectory("output-dangling")
    defer { try? FileManager.default.removeItem(at: directory) }
    let files = FileManager.default
    try files.createDirectory(at: directory.appending(path: "sub"), withIntermediateDirectories: true)
    let first = directory.appending(path: "first.csv")
    let second = directory.appending(path: "sub/second.csv")
    try files.createSymbolicLink(atPath: first.path, withDestinationPath: "sub/second.csv")
    try files.createSymbolicLink(atPath: second.path, withDestinationPath: "../made.csv")
    try OutputFile.write(Data("new\n".utf8), to: first)
    #expect(try Self.type(first) == .typeSymbolicLink && Self.type(second) == .typeSymbolicLink)
    #expect(try String(contentsOf: directory.appending(path: "made.csv"), encoding: .utf8) == "new\n")
    // A relative target read from the link's directory as the kernel finds it, through a link.
    try files.createDirectory(at: directory.appending(path: "real/sub"), withIntermediateDirectories: true)
    try files.createSymbolicLink(
      atPath: directory.appending(path: "dirlink").path, withDestinationPath: "real/sub")
    try files.createSymbolicLink(
      atPath: directory.appending(path: "real/sub/x.csv").path, withDestinationPath: "../target.csv")
    try OutputFile.write(Data("through\n".utf8), to: directory.appending(path: "dirlink/x.csv"))
    #expect(
      try String(contentsOf: directory.appending(path: "real/target.csv"), encoding: .utf8) == "through\n")
    #expect(!files.fileExists(atPath: directory.appending(path: "target.csv").path))
    let loop = directory.appending(path: "loop.csv")
    try files.createSymbolicLink(atPath: loop.path, withDestinationPath: "loop.csv")
    #expect(throws: (any Error).self) { try OutputFile.write(Data("x".utf8), to: loop) }
    #expect(try Self.type(loop) == .typeSymbolicLink)
  }

  @Test(
    "a descriptor of a deleted file (/proc/self/fd/N names '… (deleted)') is written through, not made a new file"
  )
  func deletedDescriptor() throws {
    let directory = try scratchDirectory("output-deleted")
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appending(path: "gone.txt")
    try Data().write(to: file)
    let handle = try FileHandle(forUpdating: file)
    defer { try? handle.close() }
    try FileManager.default.removeItem(at: file)
    try OutputFile.write(
      Data("kept\n".utf8), to: URL(fileURLWithPath: "/proc/self/fd/\(handle.fileDescriptor)"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    try handle.seek(toOffset: 0)
    #expect(try handle.readToEnd() == Data("kept\n".utf8))
  }

  @Test("a FIFO is written through, not replaced by a regular file")
  func fifo() throws {
    let directory = try scratchDirectory("output")
    defer { try? FileManager.default.removeItem(at: directory) }
    let fifo = directory.appending(path: "pipe")
    #expect(mkfifo(fifo.path, 0o600) == 0)
    // Read and write ends both: opening it for writing then does not wait for a reader.
    let reader = open(fifo.path, O_RDWR)
    #expect(reader >= 0)
    defer { close(reader) }
    try OutputFile.write(Data("row\n".utf8), to: fifo)
    let type = try Self.type(fifo)
    #expect(type != .typeRegular, "the FIFO was replaced by a regular file")
    guard type != .typeRegular else { return }
    var buffer = [UInt8](repeating: 0, count: 4)
    #expect(read(reader, &buffer, 4) == 4)
    #expect(buffer == Array("row\n".utf8))
  }

  @Test("a directory is refused and left as it was; a new file is written")
  func directoryAndNew() throws {
    let directory = try scratchDirectory("output")
    defer { try? FileManager.default.removeItem(at: directory) }
    #expect(throws: (any Error).self) { try OutputFile.write(Data("x".utf8), to: directory) }
    #expect(try Self.type(directory) == .typeDirectory)
    let new = directory.appending(path: "new.json")
    try OutputFile.write(Data("{}".utf8), to: new)
    #expect(try Data(contentsOf: new) == Data("{}".utf8))
  }
}
