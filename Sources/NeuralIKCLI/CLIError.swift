/// A user-facing failure: one line, printed by ArgumentParser as `Error: …`, exit status 1.
struct CLIError: Error, CustomStringConvertible {
  let description: String

  init(_ description: String) { self.description = description }
}
