#if NEURALIK_FUZZING
  import CFuzzDriver
  import Foundation

  /// Runs libFuzzer from the fuzz target's own entry point. SwiftPM links every executable with
  /// `main` defined as `<Module>_main`, so libFuzzer's own `main` is never linked; each target
  /// defines that symbol and hands over to libFuzzer here.
  public enum FuzzDriver {
    /// The input function libFuzzer calls; set once before the driver starts, read only after.
    nonisolated(unsafe) static var body: (Data) -> Void = { _ in }

    public static func run(
      _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
      _ body: @escaping (Data) -> Void
    ) -> CInt {
      Self.body = body
      var count = argc
      var arguments = argv
      return LLVMFuzzerRunDriver(&count, &arguments) { bytes, size in
        FuzzDriver.body(FuzzInput.data(bytes, size))
        return 0
      }
    }
  }
#endif
