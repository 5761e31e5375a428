#ifndef NEURALIK_CNUMERICS_SHIM_H
#define NEURALIK_CNUMERICS_SHIM_H

// Only GSL's cblas declarations are included: OpenBLAS's cblas.h declares the same functions with
// other enum types, and the two headers cannot live in one module. The symbols come from OpenBLAS
// at link time (see module.modulemap).
#include <gsl/gsl_errno.h>
#include <gsl/gsl_vector.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <dlfcn.h>

// OpenBLAS's own entry points, declared here so that its cblas.h need not be included.
extern void openblas_set_num_threads(int num_threads);
extern int openblas_get_num_threads(void);
extern char *openblas_get_corename(void);

// Swift 6 refuses to read C mutable globals; these return GSL's method tables by value.
static inline const gsl_multifit_nlinear_type *cnumerics_nlinear_trust(void) {
  return gsl_multifit_nlinear_trust;
}
static inline const gsl_multifit_nlinear_trs *cnumerics_trs_lm(void) {
  return gsl_multifit_nlinear_trs_lm;
}
static inline const gsl_multifit_nlinear_scale *cnumerics_scale_levenberg(void) {
  return gsl_multifit_nlinear_scale_levenberg;
}
static inline const gsl_multifit_nlinear_solver *cnumerics_solver_qr(void) {
  return gsl_multifit_nlinear_solver_qr;
}
static inline const gsl_multifit_nlinear_solver *cnumerics_solver_cholesky(void) {
  return gsl_multifit_nlinear_solver_cholesky;
}

// The address a symbol resolves to in the global scope (glibc's RTLD_DEFAULT is the null handle;
// the macro itself needs _GNU_SOURCE, which would clash with Dispatch's view of the system headers).
static inline unsigned long cnumerics_symbol_address(const char *name) {
  return (unsigned long)dlsym((void *)0, name);
}

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>

// Whether this CPU and its OS run AVX2 with FMA: CPUID's feature bits, and the OS saving the YMM
// registers (XGETBV). OpenBLAS picks its kernel by the CPU's model, and on a virtual machine that
// hides the model it falls back to its SSE3 ("Prescott") kernels, 4x slower on the solvers' passes;
// the feature bits are still there.
static inline int cnumerics_has_avx2_fma(void) {
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
  const unsigned fma = 1u << 12, osxsave = 1u << 27, avx = 1u << 28;
  if ((c & (fma | osxsave | avx)) != (fma | osxsave | avx)) return 0;
  unsigned lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  if ((lo & 6u) != 6u) return 0;
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
  return (b & (1u << 5)) != 0;
}

// Whether this CPU and its OS run the AVX-512 subsets of OpenBLAS's SkylakeX kernels (F, DQ, CD, BW,
// VL) with the ZMM and mask registers saved (XCR0 bits 5-7).
static inline int cnumerics_has_avx512_skylakex(void) {
  if (!cnumerics_has_avx2_fma()) return 0;
  unsigned a, b, c, d;
  unsigned lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  if ((lo & 0xE6u) != 0xE6u) return 0;
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
  const unsigned f = 1u << 16, dq = 1u << 17, cd = 1u << 28, bw = 1u << 30, vl = 1u << 31;
  return (b & (f | dq | cd | bw | vl)) == (f | dq | cd | bw | vl);
}

// C += A * B, row-major, for the few rows of a solver's pass: A is rows x k (leading dimension
// lda), B is k x n (ldb), C is rows x n (ldc), n a multiple of 8. Four or two rows at a time share
// each load of B; every block keeps eight sums in flight, enough to hide the FMA's latency.
__attribute__((target("avx2,fma"))) static inline void cnumerics_gemm_few_rows(
    int rows, int n, int k, const float *a, int lda, const float *b, int ldb, float *c, int ldc) {
  int r = 0;
  for (; r + 4 <= rows; r += 4) {
    const float *a0 = a + (long)r * lda, *a1 = a0 + lda, *a2 = a1 + lda, *a3 = a2 + lda;
    float *c0 = c + (long)r * ldc, *c1 = c0 + ldc, *c2 = c1 + ldc, *c3 = c2 + ldc;
    int j = 0;
    // Two vectors of each of the four rows: eight sums in flight.
    for (; j + 16 <= n; j += 16) {
      __m256 s00 = _mm256_loadu_ps(c0 + j), s01 = _mm256_loadu_ps(c0 + j + 8);
      __m256 s10 = _mm256_loadu_ps(c1 + j), s11 = _mm256_loadu_ps(c1 + j + 8);
      __m256 s20 = _mm256_loadu_ps(c2 + j), s21 = _mm256_loadu_ps(c2 + j + 8);
      __m256 s30 = _mm256_loadu_ps(c3 + j), s31 = _mm256_loadu_ps(c3 + j + 8);
      for (int p = 0; p < k; p++) {
        const float *bp = b + (long)p * ldb + j;
        __m256 w0 = _mm256_loadu_ps(bp), w1 = _mm256_loadu_ps(bp + 8);
        __m256 x0 = _mm256_broadcast_ss(a0 + p), x1 = _mm256_broadcast_ss(a1 + p);
        __m256 x2 = _mm256_broadcast_ss(a2 + p), x3 = _mm256_broadcast_ss(a3 + p);
        s00 = _mm256_fmadd_ps(x0, w0, s00);
        s01 = _mm256_fmadd_ps(x0, w1, s01);
        s10 = _mm256_fmadd_ps(x1, w0, s10);
        s11 = _mm256_fmadd_ps(x1, w1, s11);
        s20 = _mm256_fmadd_ps(x2, w0, s20);
        s21 = _mm256_fmadd_ps(x2, w1, s21);
        s30 = _mm256_fmadd_ps(x3, w0, s30);
        s31 = _mm256_fmadd_ps(x3, w1, s31);
      }
      _mm256_storeu_ps(c0 + j, s00);
      _mm256_storeu_ps(c0 + j + 8, s01);
      _mm256_storeu_ps(c1 + j, s10);
      _mm256_storeu_ps(c1 + j + 8, s11);
      _mm256_storeu_ps(c2 + j, s20);
      _mm256_storeu_ps(c2 + j + 8, s21);
      _mm256_storeu_ps(c3 + j, s30);
      _mm256_storeu_ps(c3 + j + 8, s31);
    }
    for (; j < n; j += 8) {
      __m256 s0 = _mm256_loadu_ps(c0 + j), s1 = _mm256_loadu_ps(c1 + j);
      __m256 s2 = _mm256_loadu_ps(c2 + j), s3 = _mm256_loadu_ps(c3 + j);
      for (int p = 0; p < k; p++) {
        __m256 w = _mm256_loadu_ps(b + (long)p * ldb + j);
        s0 = _mm256_fmadd_ps(_mm256_broadcast_ss(a0 + p), w, s0);
        s1 = _mm256_fmadd_ps(_mm256_broadcast_ss(a1 + p), w, s1);
        s2 = _mm256_fmadd_ps(_mm256_broadcast_ss(a2 + p), w, s2);
        s3 = _mm256_fmadd_ps(_mm256_broadcast_ss(a3 + p), w, s3);
      }
      _mm256_storeu_ps(c0 + j, s0);
      _mm256_storeu_ps(c1 + j, s1);
      _mm256_storeu_ps(c2 + j, s2);
      _mm256_storeu_ps(c3 + j, s3);
    }
  }
  for (; r + 2 <= rows; r += 2) {
    const float *a0 = a + (long)r * lda, *a1 = a0 + lda;
    float *c0 = c + (long)r * ldc, *c1 = c0 + ldc;
    int j = 0;
    // Four vectors of each of the two rows: eight sums in flight, each a named variable (the
    // header is compiled at Swift's optimisation level for C, where arrays of them stay in memory).
    for (; j + 32 <= n; j += 32) {
      __m256 s00 = _mm256_loadu_ps(c0 + j), s01 = _mm256_loadu_ps(c0 + j + 8);
      __m256 s02 = _mm256_loadu_ps(c0 + j + 16), s03 = _mm256_loadu_ps(c0 + j + 24);
      __m256 s10 = _mm256_loadu_ps(c1 + j), s11 = _mm256_loadu_ps(c1 + j + 8);
      __m256 s12 = _mm256_loadu_ps(c1 + j + 16), s13 = _mm256_loadu_ps(c1 + j + 24);
      for (int p = 0; p < k; p++) {
        const float *bp = b + (long)p * ldb + j;
        __m256 x0 = _mm256_broadcast_ss(a0 + p), x1 = _mm256_broadcast_ss(a1 + p);
        __m256 w0 = _mm256_loadu_ps(bp), w1 = _mm256_loadu_ps(bp + 8);
        __m256 w2 = _mm256_loadu_ps(bp + 16), w3 = _mm256_loadu_ps(bp + 24);
        s00 = _mm256_fmadd_ps(x0, w0, s00);
        s01 = _mm256_fmadd_ps(x0, w1, s01);
        s02 = _mm256_fmadd_ps(x0, w2, s02);
        s03 = _mm256_fmadd_ps(x0, w3, s03);
        s10 = _mm256_fmadd_ps(x1, w0, s10);
        s11 = _mm256_fmadd_ps(x1, w1, s11);
        s12 = _mm256_fmadd_ps(x1, w2, s12);
        s13 = _mm256_fmadd_ps(x1, w3, s13);
      }
      _mm256_storeu_ps(c0 + j, s00);
      _mm256_storeu_ps(c0 + j + 8, s01);
      _mm256_storeu_ps(c0 + j + 16, s02);
      _mm256_storeu_ps(c0 + j + 24, s03);
      _mm256_storeu_ps(c1 + j, s10);
      _mm256_storeu_ps(c1 + j + 8, s11);
      _mm256_storeu_ps(c1 + j + 16, s12);
      _mm256_storeu_ps(c1 + j + 24, s13);
    }
    for (; j < n; j += 8) {
      __m256 s0 = _mm256_loadu_ps(c0 + j), s1 = _mm256_loadu_ps(c1 + j);
      for (int p = 0; p < k; p++) {
        __m256 w = _mm256_loadu_ps(b + (long)p * ldb + j);
        s0 = _mm256_fmadd_ps(_mm256_broadcast_ss(a0 + p), w, s0);
        s1 = _mm256_fmadd_ps(_mm256_broadcast_ss(a1 + p), w, s1);
      }
      _mm256_storeu_ps(c0 + j, s0);
      _mm256_storeu_ps(c1 + j, s1);
    }
  }
  for (; r < rows; r++) {
    const float *ar = a + (long)r * lda;
    float *cr = c + (long)r * ldc;
    int j = 0;
    for (; j + 64 <= n; j += 64) {
      __m256 s0 = _mm256_loadu_ps(cr + j), s1 = _mm256_loadu_ps(cr + j + 8);
      __m256 s2 = _mm256_loadu_ps(cr + j + 16), s3 = _mm256_loadu_ps(cr + j + 24);
      __m256 s4 = _mm256_loadu_ps(cr + j + 32), s5 = _mm256_loadu_ps(cr + j + 40);
      __m256 s6 = _mm256_loadu_ps(cr + j + 48), s7 = _mm256_loadu_ps(cr + j + 56);
      for (int p = 0; p < k; p++) {
        const float *bp = b + (long)p * ldb + j;
        __m256 x = _mm256_broadcast_ss(ar + p);
        s0 = _mm256_fmadd_ps(x, _mm256_loadu_ps(bp), s0);
        s1 = _mm256_fmadd_ps(x, _mm256_loadu_ps(bp + 8), s1);
        s2 = _mm256_fmadd_ps(x, _mm256_loadu_ps(bp + 16), s2);
        s3 = _mm256_fmadd_ps(x, _mm256_loadu_ps(bp + 24), s3);
        s4 = _mm256_fmadd_ps(x, _mm256_loadu_ps(bp + 32), s4);
        s5 = _mm256_fmadd_ps(x, _mm256_loadu_ps(bp + 40), s5);
        s6 = _mm256_fmadd_ps(x, _mm256_loadu_ps(bp + 48), s6);
        s7 = _mm256_fmadd_ps(x, _mm256_loadu_ps(bp + 56), s7);
      }
      _mm256_storeu_ps(cr + j, s0);
      _mm256_storeu_ps(cr + j + 8, s1);
      _mm256_storeu_ps(cr + j + 16, s2);
      _mm256_storeu_ps(cr + j + 24, s3);
      _mm256_storeu_ps(cr + j + 32, s4);
      _mm256_storeu_ps(cr + j + 40, s5);
      _mm256_storeu_ps(cr + j + 48, s6);
      _mm256_storeu_ps(cr + j + 56, s7);
    }
    for (; j < n; j += 8) {
      __m256 s = _mm256_loadu_ps(cr + j);
      for (int p = 0; p < k; p++) {
        s = _mm256_fmadd_ps(_mm256_broadcast_ss(ar + p), _mm256_loadu_ps(b + (long)p * ldb + j), s);
      }
      _mm256_storeu_ps(cr + j, s);
    }
  }
}
#else
static inline int cnumerics_has_avx2_fma(void) { return 0; }
static inline int cnumerics_has_avx512_skylakex(void) { return 0; }
static inline void cnumerics_gemm_few_rows(
    int rows, int n, int k, const float *a, int lda, const float *b, int ldb, float *c, int ldc) {}
#endif

#endif
