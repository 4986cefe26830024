/* Duration and energy models against values computed by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <math.h>

#include "mvm/model.h"

#define NEAR(a, b, tol) assert_true(fabs((a) - (b)) <= (tol))

/* Idle VM of the four-to-one scenario at 485 Mb/s effective (500 Mb/s x 0.97):
 *   B = 485e6/8 = 60.625e6 B/s, mu = 1000e6 B, HPs = 5e6 B, HPd = 3 s, HPr = 1.6667e6 B/s, CPr = 0
 *   dmin = 1000e6 / 60.625e6 = 16.494845 s  (> HPd)
 *   cold = (5e6 + (dmin - 3) * 0) / (60.625e6 - 0) = 0.0824742 s
 *   hot  = (5e6 / 60.625e6) * 1.6667e6 / (60.625e6 - 1.6667e6) = 0.0824742 * 0.0282685 = 0.0023314 s
 *   d    = 16.494845 + 0.0824742 + 0.0023314 + 0.030 = 16.609651 s */
static void test_idle_500(void** state)
{
  (void)state;
  mvm_precopy_params p = {1000e6, 5e6, 3.0, 0, 0.030};
  NEAR(mvm_precopy_duration(&p, 60.625e6), 16.609651, 1e-6);
}

/* Stressed VM (1550 MB used; 46 MB hot over 2 s; cold 22.6 MB/s) at 60.625e6 B/s:
 *   dmin = 1550e6 / 60.625e6 = 25.567010 s
 *   cold = (46e6 + (25.567010 - 2) * 22.6e6) / (60.625e6 - 22.6e6) = 578.6144e6 / 38.025e6 = 15.216685 s
 *   HPr = 23e6; hot = (46e6/60.625e6) * 23e6 / (60.625e6 - 23e6) = 0.758763 * 0.611296 = 0.463829 s
 *   d = 25.567010 + 15.216685 + 0.463828 + 0.030 = 41.277523 s */
static void test_stressed_500(void** state)
{
  (void)state;
  mvm_precopy_params p = {1550e6, 46e6, 2.0, 22.6e6, 0.030};
  NEAR(mvm_precopy_duration(&p, 60.625e6), 41.277523, 1e-5);
}

/* dmin <= HPd: 100 MB at 125e6 B/s: dmin = 0.8 s < HPd = 2 s; X = HPr dmin = 23e6 * 0.8 = 18.4e6
 *   d = 0.8 + 18.4e6 / (125e6 - 23e6) + 0.03 = 0.8 + 0.180392 + 0.03 = 1.010392 s */
static void test_short_hot_only(void** state)
{
  (void)state;
  mvm_precopy_params p = {100e6, 46e6, 2.0, 22.6e6, 0.030};
  NEAR(mvm_precopy_duration(&p, 125e6), 1.010392, 1e-6);
}

/* Never converges at or below max(HPr, CPr) = max(23e6, 22.6e6) = 23e6 B/s. */
static void test_never_converges(void** state)
{
  (void)state;
  mvm_precopy_params p = {1550e6, 46e6, 2.0, 22.6e6, 0.030};
  NEAR(mvm_precopy_limit(&p), 23e6, 1e-3);
  assert_true(isinf(mvm_precopy_duration(&p, 23e6)));
  assert_true(isinf(mvm_precopy_duration(&p, 20e6)));
  assert_true(isfinite(mvm_precopy_duration(&p, 23.5e6)));
}

/* Duration decreases with the rate; rate_for inverts it. */
static void test_rate_for(void** state)
{
  (void)state;
  mvm_precopy_params p = {1000e6, 46e6, 2.0, 22.6e6, 0.030};
  double d = mvm_precopy_duration(&p, 40e6);
  double r = mvm_precopy_rate_for(&p, d, 60.625e6);
  NEAR(r, 40e6, 1e-3 * 40e6);
  assert_true(mvm_precopy_duration(&p, r) <= d + 1e-9);
  assert_true(mvm_precopy_duration(&p, 50e6) < mvm_precopy_duration(&p, 40e6));
}

/* BtrPlace: 2 GiB at 1 Gb/s nominal (125e6 B/s) = 17.179869 s; thesis: ~8 s per GiB at 1 Gb/s. */
static void test_naive(void** state)
{
  (void)state;
  NEAR(mvm_naive_duration(2147483648.0, 125e6), 17.179869, 1e-6);
}

/* Liu: 1000 MB sent: 0.512 * 1000 + 20.165 = 532.165 J */
static void test_energy(void** state)
{
  (void)state;
  NEAR(mvm_migration_energy(0.512, 20.165, 1000e6), 532.165, 1e-9);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_idle_500), cmocka_unit_test(test_stressed_500),  cmocka_unit_test(test_short_hot_only),
      cmocka_unit_test(test_never_converges), cmocka_unit_test(test_rate_for), cmocka_unit_test(test_naive),
      cmocka_unit_test(test_energy)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
