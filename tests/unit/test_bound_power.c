/* bound_power.c: boots against the migrations' power, on instances small enough to reason
 * about by hand. One element of 100 MB/s, 1 J per MB (the full element draws 100 W), a
 * slack of 150 W, boots of 100 s drawing 132 W (110 W once booted), sources giving back
 * 110 W once off. The first boot may start at 0, the second (264 W - 150 W = 114 W) only
 * once a source is off and the first boot ended: at 100 s. One migration of 100 s of the
 * element's work (10 GB), weight 1. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <math.h>

#include "bound_power.h"

static const double starts[2] = {0, 100};

static mvm__boot_power instance(const double* uo, size_t nuo, const double* ui, size_t nui, const double* dg,
                                size_t ndg, const double* u, size_t nu)
{
  return (mvm__boot_power){150, 132, 22, 110, 100, 10, 1e-6, 2, nu, nuo, nui, ndg, starts, u, uo, ui, dg};
}

/* A source outside the element off at 50 s at the earliest. With the second boot at 100 s the
 * element runs at 18 % until 50 s, full until 100 s, 18 % again while the boot draws 132 W,
 * 40 % after: the migration ends at 257.5 s. Booting after it ends: 9 s of work by 50 s, the
 * rest at full speed, end at 141 s, second boot at 141 s: 282 s in all. The trivial bound is
 * the boots' least starts plus the migration's own bound (100 s): 200 s. The trade-off lifts
 * it, never above what the plan reaches. */
static void test_outside_source(void** state)
{
  (void)state;
  double uo[1] = {50}, u[1] = {50};
  mvm__boot_power bp = instance(uo, 1, NULL, 0, NULL, 0, u, 1);
  mvm__pjob j[1] = {{100, 1, 0}};
  double b = mvm__boot_power_bound(&bp, j, 1, 1e8, 0, 100);
  assert_true(b > 200 + 3);
  assert_true(b <= 282 + 1e-9);
}

/* The same source inside the element: it can be off only once its 5 GB (50 s of the
 * element's work) have crossed, at 18 % of the speed until then: later than 50 s, so the
 * bound is at least the one with the source outside. */
static void test_inside_source_waits_for_its_data(void** state)
{
  (void)state;
  double uo[1] = {50}, ui[1] = {50}, dg[1] = {5e9}, u[1] = {50};
  mvm__boot_power out = instance(uo, 1, NULL, 0, NULL, 0, u, 1);
  mvm__boot_power in = instance(NULL, 0, ui, 1, dg, 1, u, 1);
  mvm__pjob j1[1] = {{100, 1, 0}}, j2[1] = {{100, 1, 0}};
  double bo = mvm__boot_power_bound(&out, j1, 1, 1e8, 0, 100);
  double bi = mvm__boot_power_bound(&in, j2, 1, 1e8, 0, 100);
  assert_true(bi > bo + 5);
  /* a plan: the element full from 0 (no boot draws), 50 s of work by 50 s, the source off
   * at 60 s, the first boot then (128 W left: full speed), the migration ends at 100 s, the
   * second boot once the first has ended, at 160 s: 320 s in all */
  assert_true(bi <= 320 + 1e-9);
}

/* No power to spare for the trade-off: with a slack that runs the element at full speed
 * through every boot, the bound is the trivial one. */
static void test_no_tradeoff(void** state)
{
  (void)state;
  double uo[1] = {50}, u[1] = {50};
  mvm__boot_power bp = instance(uo, 1, NULL, 0, NULL, 0, u, 1);
  bp.s0 = 1000;
  mvm__pjob j[1] = {{100, 1, 0}};
  assert_true(fabs(mvm__boot_power_bound(&bp, j, 1, 1e8, 0, 100) - 200) < 1e-9);
}

int main(void)
{
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_outside_source),
                                     cmocka_unit_test(test_inside_source_waits_for_its_data),
                                     cmocka_unit_test(test_no_tradeoff)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
