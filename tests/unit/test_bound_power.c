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

#include <string.h>

static const double starts[2] = {0, 100};

static mvm__boot_power instance(const double* uo, size_t nuo, const double* ui, size_t nui, const double* dg,
                                size_t ndg, const double* u, size_t nu)
{
  return (mvm__boot_power){150, 132, 22, 110, 100, 10, 1e-6, 2, nu, nuo, nui, ndg, starts, u, uo, ui, dg, NULL, 0, NULL};
}

/* A source outside the element off at 50 s at the earliest. With the second boot at 100 s the
 * element runs at 18 % until 50 s, full until 100 s, 18 % again while the boot draws 132 W,
 * 40 % after: the migration ends at 257.5 s. Booting after it ends: 9 s of work by 50 s, the
 * rest at full speed, end at 141 s, second boot at 141 s: 282 s in all. The trivial bound is
 * the boots' least starts plus the migration's own bound (100 s): 200 s. The trade-off lifts
 * it, never above what the plan reaches. */
static double outside_bound(const unsigned char* cov, size_t rd, double vfloor)
{
  double uo[1] = {50}, u[1] = {50};
  mvm__boot_power bp = instance(uo, 1, NULL, 0, NULL, 0, u, 1);
  bp.cov = cov;
  mvm__pjob j[1] = {{100, 1, 0, rd}};
  return mvm__boot_power_bound(&bp, j, 1, 1e8, 0, vfloor);
}

static void test_outside_source(void** state)
{
  (void)state;
  double b = outside_bound(NULL, 0, 100);
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
  mvm__pjob j1[1] = {{100, 1, 0, 0}}, j2[1] = {{100, 1, 0, 0}};
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
  mvm__pjob j[1] = {{100, 1, 0, 0}};
  assert_true(fabs(mvm__boot_power_bound(&bp, j, 1, 1e8, 0, 100) - 200) < 1e-9);
}

/* The second boot's start held by vfloor (cov, as boots_gain gives it): V + that start >=
 * 200 (V >= 100, the start >= 100). The plan of test_outside_source reaches 282 s; the floor
 * is vfloor plus the first boot's least start (0), not vfloor plus both starts (300 s,
 * above that plan), and the trade-off still lifts it. */
static void test_marked_boot(void** state)
{
  (void)state;
  unsigned char cov[2] = {0, 1};
  double b = outside_bound(cov, 0, 200);
  assert_true(b > 200 + 3);
  assert_true(b <= 282 + 1e-9);
}

/* The migration goes to the node that boots second: released once both boots have ended
 * (rd = 2), no earlier than 200 s. A plan: the second boot at 100 s (the source off at 50 s,
 * the first boot ended), the migration from 200 s at 40 % (150 - 2 x 110 + 110 W), ends at
 * 450 s: 550 s in all. The bound knows the release: above the one without it, below that
 * plan. */
static void test_release_after_boots(void** state)
{
  (void)state;
  double b0 = outside_bound(NULL, 0, 100), b1 = outside_bound(NULL, 2, 100);
  assert_true(b1 > b0 + 50);
  assert_true(b1 <= 550 + 1e-9);
}

/* A scenario of nn nodes (as set by the caller) and nv VMs from[v] -> to[v]. */
static mvm_scenario scenario_of(mvm_node* nodes, size_t nn, mvm_vm* vms, const int* from, const int* to, size_t nv)
{
  memset(vms, 0, nv * sizeof(mvm_vm));
  for (size_t v = 0; v < nv; v++) {
    vms[v].from = from[v];
    vms[v].to = to[v];
  }
  mvm_scenario sc;
  memset(&sc, 0, sizeof sc);
  sc.nodes = nodes;
  sc.nnodes = nn;
  sc.vms = vms;
  sc.nvms = nv;
  return sc;
}

/* mvm__source_cover: which sources can be off with j boots ended. Sources a, b, c, e (on,
 * then off), k (on, stays), d0-d2 boot. a sends to d0 and d1, b to d0, c to d1, d2 and k (on
 * already: no boot needed), e nothing, k to d2 (not a source). With no boot only e can be off,
 * with one e and b (d0), with two three (d0 and d1: a, b, e), with all four. */
static void test_source_cover_exact(void** state)
{
  (void)state;
  mvm_node nodes[8];
  memset(nodes, 0, sizeof nodes);
  for (int n = 0; n < 5; n++)
    nodes[n].initially_on = 1; /* a b c e k */
  nodes[4].finally_on = 1;
  for (int n = 5; n < 8; n++)
    nodes[n].finally_on = 1; /* d0 d1 d2 */
  int from[] = {0, 0, 1, 0, 2, 2, 2, 4}, to[] = {5, 6, 5, 5, 6, 7, 4, 7};
  mvm_vm vms[8];
  mvm_scenario sc = scenario_of(nodes, 8, vms, from, to, 8);
  double cover[4];
  mvm__source_cover(&sc, 3, cover);
  assert_true(cover[0] == 1 && cover[1] == 2 && cover[2] == 3 && cover[3] == 4);
}

/* Over 18 boots: the sources that need at most j distinct boots. a sends to d0 twice (b's VM
 * to d0 between the two) and to d1: it needs two boots, b one. */
static void test_source_cover_counted(void** state)
{
  (void)state;
  enum { NB = 20 };
  mvm_node nodes[2 + NB];
  memset(nodes, 0, sizeof nodes);
  nodes[0].initially_on = nodes[1].initially_on = 1;
  for (int n = 2; n < 2 + NB; n++)
    nodes[n].finally_on = 1;
  int from[] = {0, 1, 0, 0}, to[] = {2, 2, 2, 3};
  mvm_vm vms[4];
  mvm_scenario sc = scenario_of(nodes, 2 + NB, vms, from, to, 4);
  double cover[NB + 1];
  mvm__source_cover(&sc, NB, cover);
  assert_true(cover[0] == 0 && cover[1] == 1 && cover[2] == 2 && cover[NB] == 2);
}

int main(void)
{
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_outside_source),
                                     cmocka_unit_test(test_inside_source_waits_for_its_data),
                                     cmocka_unit_test(test_no_tradeoff),
                                     cmocka_unit_test(test_marked_boot),
                                     cmocka_unit_test(test_release_after_boots),
                                     cmocka_unit_test(test_source_cover_exact),
                                     cmocka_unit_test(test_source_cover_counted)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
