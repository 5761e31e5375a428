import Foundation

/// Which numerical libraries this process actually uses, for tests and benchmark reports.
public enum NumericsBackend {
  /// The kernels OpenBLAS chose as it loaded, by its name for them (`Prescott`, `Haswell`,
  /// `SkylakeX`…).
  public static var openBLASCore: String { BLAS.coreName }

  /// The OpenBLAS core this CPU can run that is better than the one OpenBLAS chose at load, or
  /// `nil` when it chose well. OpenBLAS chooses by the CPU's model, and where a virtual machine
  /// hides it falls back to SSE3 kernels (`Prescott`) or, short of that, to another model's: its
  /// `OPENBLAS_CORETYPE`, set before it loads, names the kernels by the CPU's feature bits instead.
  /// Training's large products ran 2.4 times faster with `SkylakeX` than with the `Prescott`
  /// fallback on the Panda's network (Docs/Performance.md).
  public static var betterOpenBLASCore: String? {
    let chosen = openBLASCore.lowercased()
    // A core with AVX2 kernels or better is OpenBLAS's own informed choice, and stays.
    guard !["haswell", "zen", "skylakex", "cooperlake", "sapphirerapids"].contains(chosen) else { return nil }
    if BLAS.hasSkylakeXFeatures { return "SkylakeX" }
    return BLAS.hasFewRowsKernel ? "Haswell" : nil
  }

  /// The kernels a forward pass runs on: the core OpenBLAS chose at load (by the CPU's model:
  /// `Prescott`, its SSE3 fallback, where a virtual machine hides it), and which row counts go to
  /// the C layer's AVX2 kernel instead (`MLPInference`).
  public static var forwardPassKernels: String {
    let core = openBLASCore
    let few =
      !BLAS.hasFewRowsKernel
      ? "none (no AVX2 with FMA)"
      : BLAS.takesFewRowsKernel(rows: BLAS.fewRows) ? "1 to \(BLAS.fewRows)" : "1 and 2"
    return "OpenBLAS core \(core); rows to the AVX2 kernel: \(few)"
  }

  /// The shared library that `cblas_dgemm` resolves to (expected: OpenBLAS), read from the
  /// process's memory map; `nil` where that map is unavailable.
  public static var cblasLibrary: String? {
    let address = symbolAddress("cblas_dgemm")
    // /proc files report a size of 0, so read to the end rather than by the reported size.
    guard address != 0, let file = FileHandle(forReadingAtPath: "/proc/self/maps"),
      let data = try? file.readToEnd()
    else { return nil }
    let maps = String(decoding: data, as: UTF8.self)
    for line in maps.split(separator: "\n") {
      let fields = line.split(separator: " ", omittingEmptySubsequences: true)
      guard fields.count >= 6 else { continue }
      let bounds = fields[0].split(separator: "-").compactMap { UInt($0, radix: 16) }
      if bounds.count == 2, bounds[0] <= address, address < bounds[1] {
        return String(fields[5])
      }
    }
    return nil
  }
}
