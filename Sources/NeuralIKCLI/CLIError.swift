import Foundation

/// A user-facing failure: one line, printed by ArgumentParser as `Error: …`, exit status 1.
struct CLIError: Error, CustomStringConvertible {
  let description: String

  init(_ description: String) { self.description = description }

  /// `error` about the file `path`, which the option names `what` (`robot file`, `model`):
  /// prefixed with both unless the message already names the path ("cannot read robot file
  /// '…': …"), so that it is not said twice.
  init(naming what: String, _ path: String, _ error: any Error) {
    let message = "\(error)"
    let named = message.contains("'\(path)'") || message.contains("'\(URL(filePath: path).path)'")
    description = named ? message : "\(what) '\(path)': \(message)"
  }
}
