import Foundation

/// A one-line progress bar on standard error, drawn only when standard error is a terminal.
final class ProgressBar: @unchecked Sendable {
  private let total: Int
  private let label: String
  private let enabled: Bool
  private let lock = NSLock()
  private var lastDrawn = -1

  init(total: Int, label: String) {
    self.total = total
    self.label = label
    self.enabled = isatty(STDERR_FILENO) == 1 && total > 0
  }

  func update(_ done: Int) {
    guard enabled else { return }
    let percent = done * 100 / total
    lock.lock()
    defer { lock.unlock() }
    guard percent != lastDrawn else { return }
    lastDrawn = percent
    let width = 30
    let filled = width * done / total
    let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
    FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(percent)% \(done)/\(total)".utf8))
  }

  func finish() {
    guard enabled else { return }
    FileHandle.standardError.write(Data("\n".utf8))
  }
}
