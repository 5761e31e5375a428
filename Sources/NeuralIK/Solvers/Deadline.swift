import Dispatch

/// A point on the monotonic clock after which a solver starts no new attempt.
struct Deadline {
  private let end: UInt64?

  /// `seconds` from now; `nil` for never.
  init(seconds: Double?) {
    end = seconds.map { DispatchTime.now().uptimeNanoseconds &+ UInt64(max(0, $0) * 1e9) }
  }

  var hasPassed: Bool {
    guard let end else { return false }
    return DispatchTime.now().uptimeNanoseconds >= end
  }
}
