import Foundation

/// A fresh directory under the temporary directory, named `prefix` and a UUID; the caller removes
/// it (`defer { try? FileManager.default.removeItem(at: directory) }`).
public func scratchDirectory(_ prefix: String) throws -> URL {
  let directory = FileManager.default.temporaryDirectory.appending(
    path: "neural-ik-\(prefix)-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  return directory
}
