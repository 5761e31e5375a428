import Dispatch

/// A point on the monotonic clock after which a solver starts no new attempt; or, given a caller's
/// wish, the moment that caller stops wanting the answer (a server's client that hung up).
struct Deadline {
  private let end: UInt64?
  private let wanted: (() -> Bool)?

  /// `seconds` from now; `nil` for never. With `wanted`, also passed once it returns `false`.
  init(seconds: Double?, while wanted: (() -> Bool)? = nil) {
    end = seconds.map { DispatchTime.now().uptimeNanoseconds &+ UInt64(max(0, $0) * 1e9) }
    self.wanted = wanted
  }

  var hasPassed: Bool {
    if let wanted, !wanted() { return true }
    guard let end else { return false }
    return DispatchTime.now().uptimeNanoseconds >= end
  }
}
