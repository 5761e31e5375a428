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

#endif
