import Foundation
import NeuralIK

/// The live status line on standard error: on a terminal one line that each report replaces;
/// otherwise a plain line per training epoch (warm-up epochs included, each with that epoch's own
/// validation) and per ``note(_:)``.
final class ProgressLine {
  private let isTerminal = isatty(STDERR_FILENO) == 1

  func show(_ progress: TrainingProgress) {
    let validation =
      progress.validationMedianMillimetres.map {
        String(format: "  val median %.3f mm p99 %.2f mm", $0, progress.validationP99Millimetres ?? .nan)
      } ?? ""
    let eta = progress.remainingSeconds.map { String(format: "  ETA %.0f s", $0) } ?? ""
    let text = String(
      format: "%@ epoch %d/%d %3.0f%%  loss %.5f%@  %.0f s%@", progress.phase.rawValue, progress.epoch,
      progress.epochs, progress.epochFraction * 100, progress.trainingLoss, validation,
      progress.elapsedSeconds, eta)
    if isTerminal {
      FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
    } else if progress.epochEnded {
      FileHandle.standardError.write(Data((text + "\n").utf8))
    }
  }

  /// A status line that the next one replaces on a terminal.
  func note(_ text: String) {
    FileHandle.standardError.write(
      Data(((isTerminal ? "\r\u{1B}[K" : "") + text + (isTerminal ? "" : "\n")).utf8))
  }

  func finish() {
    if isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
  }

  /// Erases the status line on a terminal, where standard output's next line would follow it.
  func clear() {
    if isTerminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
  }
}
