import CNumerics

/// Single-precision matrix products on OpenBLAS: the only place the learning code meets pointers.
enum BLAS {
  /// `C[cOffset…] = alpha · op(A) · op(B) + beta · C`, all row-major; `op` transposes when asked.
  ///
  /// `A` is `m × k` after `op`, `B` is `k × n` after `op`, `C` is `m × n`; the leading dimension of
  /// each stored matrix is its stored row length.
  static func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
    _ a: [Float], aOffset: Int = 0, _ b: [Float], bOffset: Int = 0, beta: Float,
    _ c: inout [Float], cOffset: Int = 0
  ) {
    _ = singleThreaded
    let lda = transposeA ? m : k
    let ldb = transposeB ? k : n
    precondition(aOffset + m * k <= a.count && bOffset + k * n <= b.count && cOffset + m * n <= c.count)
    // An empty product writes nothing; an empty array has no base address to hand to C.
    guard m > 0, n > 0 else { return }
    a.withUnsafeBufferPointer { aBuffer in
      b.withUnsafeBufferPointer { bBuffer in
        c.withUnsafeMutableBufferPointer { cBuffer in
          guard let aBase = aBuffer.baseAddress, let bBase = bBuffer.baseAddress,
            let cBase = cBuffer.baseAddress
          else { return }
          cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
            transposeB ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), Int32(k), alpha,
            aBase + aOffset, Int32(lda), bBase + bOffset, Int32(ldb), beta, cBase + cOffset, Int32(n))
        }
      }
    }
  }

  /// OpenBLAS's own threads, once per process, before the first product, ours or GSL's (its BLAS
  /// calls resolve to OpenBLAS too, ``GSLLeastSquares``): this package's products are small (one
  /// target's forward pass, one Levenberg–Marquardt step, or one training shard), and splitting
  /// them across cores that batch solving or training already keeps busy made a 32-row forward
  /// pass take 10 ms instead of 0.57 ms (measured on the Panda with a training run beside it).
  /// Before GSL's calls were covered, `perf` found OpenBLAS's threads spinning in `sched_yield`
  /// beside the solver threads of a closed-form benchmark that never ran a product of its own.
  static let singleThreaded: Void = openblas_set_num_threads(1)

  /// OpenBLAS's name for the kernels it chose as it loaded (`Prescott`, `Haswell`, `SkylakeX`…).
  static var coreName: String { openblas_get_corename().map { String(cString: $0) } ?? "unknown" }

  /// Whether the CPU has the AVX-512 subsets (F, DQ, CD, BW, VL) that OpenBLAS's `SkylakeX`
  /// kernels need.
  static var hasSkylakeXFeatures: Bool { cnumerics_has_avx512_skylakex() != 0 }
}

extension BLAS {
  /// `y += Aᵀ · x` for a row-major `m × n` matrix `A` with leading dimension `lda`: one row of a
  /// layer's pass (`x` of length `m`, `y` of length `n`).
  static func gemvTransposed(
    m: Int, n: Int, _ a: UnsafePointer<Float>, lda: Int, _ x: UnsafePointer<Float>,
    _ y: UnsafeMutablePointer<Float>
  ) {
    _ = singleThreaded
    cblas_sgemv(CblasRowMajor, CblasTrans, Int32(m), Int32(n), 1, a, Int32(lda), x, 1, 1, y, 1)
  }

  /// `C += A · B`, row-major, `A` of `rows × inner` (leading dimension `lda`), `B` of
  /// `inner × columns` (`ldb`), `C` of `rows × columns` (leading dimension `columns`).
  static func gemm(
    rows: Int, columns: Int, inner: Int, _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>,
    ldb: Int, _ c: UnsafeMutablePointer<Float>
  ) {
    _ = singleThreaded
    cblas_sgemm(
      CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(columns), Int32(inner), 1, a, Int32(lda),
      b, Int32(ldb), 1, c, Int32(columns))
  }
}

extension BLAS {
  /// Whether ``gemmFewRows(rows:columns:inner:_:lda:_:ldb:_:)`` runs on this CPU (AVX2 with FMA).
  static let hasFewRowsKernel = cnumerics_has_avx2_fma() != 0

  /// The most rows ``gemmFewRows(rows:columns:inner:_:lda:_:ldb:_:)`` takes.
  static let fewRows = 32

  /// Whether OpenBLAS runs its AVX-512 kernels here (by the core it chose at load).
  static let openBLASHasAVX512: Bool = {
    let core = NumericsBackend.openBLASCore.lowercased()
    return ["skylakex", "cooperlake", "sapphirerapids"].contains { core.contains($0) }
  }()

  /// Whether a pass of `rows` rows goes to the C layer's kernel. Measured on the Panda's layers
  /// (Docs/Performance.md): at one or two rows it matches OpenBLAS's AVX-512 kernels (13.6 against
  /// 13.4 µs a pass); at 16 rows those win (81 against 124 µs), but its AVX2 ones lose (138), and
  /// the SSE3 ones it falls back to where a virtual machine hides the CPU's model lose at every
  /// size (54, 71 and 255 µs).
  static func takesFewRowsKernel(rows: Int) -> Bool {
    hasFewRowsKernel && (rows <= 2 || (rows <= fewRows && !openBLASHasAVX512))
  }

  /// `C += A · B` as ``gemm(rows:columns:inner:_:lda:_:ldb:_:)``, for at most ``fewRows`` rows and
  /// `columns` a multiple of 8, in the C layer's AVX2 kernel (where ``hasFewRowsKernel``): OpenBLAS
  /// packs the weights on every call, which at a few rows costs more than the product, and picks
  /// its kernel by CPU model, falling back to SSE3 on a virtual machine that hides it (the Panda's
  /// one-row pass took 57 µs there, against 12 with its AVX-512 kernel).
  static func gemmFewRows(
    rows: Int, columns: Int, inner: Int, _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>,
    ldb: Int, _ c: UnsafeMutablePointer<Float>
  ) {
    precondition(hasFewRowsKernel && rows <= fewRows && columns % 8 == 0)
    cnumerics_gemm_few_rows(
      Int32(rows), Int32(columns), Int32(inner), a, Int32(lda), b, Int32(ldb), c, Int32(columns))
  }
}
