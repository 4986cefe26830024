/* Unit tests of the precopy plugin alone, in a small SimGrid program (two-hosts.platform.xml):
 * one migration capped at 50 MB/s on an idle link gives the rounds, data, downtime and
 * energy computed by hand from the two-phase model; a host booted at 100 s and shut down
 * at 300 s integrates to the hand-computed energy; workload properties are read with the
 * scenario reader's units (8Mbps accepted, 0x3MB/s refused).
 * The simulation runs once, before the tests, which check what it recorded.
 * Usage: test_plugin PLATFORM */
#include "mvm/precopy.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/vm.h>
#include <stdio.h>
#include <string.h>

#define NEAR(x, y, tol) assert_true(fabs((double)(x) - (double)(y)) <= (tol) * fmax(1, fabs((double)(y))))

static sg_vm_t vm0;
static int vm0_loaded = -2, vm1_loaded = -2, mig_rc = -2;
static mvm_migration_result mig;
static double e_a, e_b, e_c, e_total, t_end;

static void migrate_actor(int argc, char** argv)
{
  (void)argc;
  (void)argv;
  mig_rc = mvm_vm_precopy_migrate(vm0, sg_host_by_name("b"), 50e6, &mig);
}

static void power_actor(int argc, char** argv)
{
  (void)argc;
  (void)argv;
  sg_host_t c = sg_host_by_name("c");
  sg_actor_sleep_until(100);
  mvm_host_boot(c); /* 120 s at 110 W x 1.2 */
  sg_actor_sleep_until(300);
  mvm_host_shutdown(c); /* 30 s at 110 W, then off */
  sg_actor_sleep_until(400);
  t_end = simgrid_get_clock();
  e_a = mvm_host_energy(sg_host_by_name("a"));
  e_b = mvm_host_energy(sg_host_by_name("b"));
  e_c = mvm_host_energy(c);
  e_total = mvm_total_energy();
}

/* Rounds at 50 MB/s of 1000 MB, hot 10 MB over 1 s, cold 1 MB/s, downtime 30 ms, no set-up,
 * everything dirtied resent: 1000 MB in 20 s dirty 10 + 19 MB; 29 MB in 0.58 s dirty 5.8 MB;
 * 5.8 MB in 0.116 s dirty 1.16 MB, which fits in 30 ms at 50 MB/s: stop-and-copy, 0.0232 s. */
static const double mig_bytes = 1000e6 + 29e6 + 5.8e6 + 1.16e6;
static const double mig_time = 20 + 0.58 + 0.116 + 0.0232;

static void test_workload_units(void** state)
{
  (void)state;
  assert_int_equal(vm0_loaded, 0);
  assert_int_equal(vm1_loaded, -1);
}

static void test_migration_rounds(void** state)
{
  (void)state;
  assert_int_equal(mig_rc, 0);
  assert_int_equal(mig.rounds, 4); /* three pre-copy rounds and the stop-and-copy */
  assert_int_equal(mig.converged, 1);
  assert_int_equal(mig.failed, 0);
  NEAR(mig.start, 0, 1e-9);
  NEAR(mig.end, mig_time, 1e-8);
  NEAR(mig.bytes_sent, mig_bytes, 1e-9);
  NEAR(mig.downtime, 0.0232, 1e-7); /* a byte is 2e-8 s: SimGrid sends whole bytes */
  NEAR(mig.energy, 0.512 * mig_bytes / 1e6 + 20.165, 1e-9);
  assert_string_equal(sg_host_get_name(sg_vm_get_pm(vm0)), "b");
}

static void test_power_states(void** state)
{
  (void)state;
  NEAR(t_end, 400, 1e-12);
  NEAR(e_c, 120 * 132.0 + 80 * 110.0 + 30 * 110.0, 1e-9); /* boot, on, shutdown, off */
  /* a: idle all along, its VM until it left, and the migration's energy */
  NEAR(e_a, 110 * 400.0 + 16 * mig_time + mig.energy, 1e-9);
  NEAR(e_b, 110 * 400.0 + 16 * (400 - mig_time), 1e-9);
  NEAR(e_total, e_a + e_b + e_c, 1e-9);
}

static void test_power_samples(void** state)
{
  (void)state;
  size_t n;
  const mvm_power_sample* s = mvm_power_samples(&n);
  assert_non_null(s);
  for (size_t i = 1; i < n; i++)
    assert_true(s[i - 1].time <= s[i].time);
  /* c's last change: off (0 W) at 330 s */
  double last_c = -1, at = -1;
  for (size_t i = 0; i < n; i++)
    if (strcmp(mvm_power_host_name(s[i].host), "c") == 0) {
      last_c = s[i].watts;
      at = s[i].time;
    }
  NEAR(last_c, 0, 1e-12);
  NEAR(at, 330, 1e-12);
}

int main(int argc, char** argv)
{
  simgrid_init(&argc, argv);
  if (argc < 2) {
    fprintf(stderr, "usage: %s PLATFORM\n", argv[0]);
    return 2;
  }
  mvm_precopy_plugin_init();
  simgrid_load_platform(argv[1]);
  sg_host_t a = sg_host_by_name("a");
  vm0 = sg_vm_create_core(a, "vm0");
  sg_vm_start(vm0);
  vm0_loaded = mvm_vm_load_workload(vm0);
  sg_vm_t vm1 = sg_vm_create_core(a, "vm1");
  vm1_loaded = mvm_vm_load_workload(vm1);
  sg_vm_destroy(vm1);
  mvm_host_set_state(sg_host_by_name("c"), MVM_HOST_OFF);
  sg_actor_create("migrate", a, migrate_actor, 0, NULL);
  sg_actor_create("power", sg_host_by_name("c"), power_actor, 0, NULL);
  simgrid_run();
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_workload_units), cmocka_unit_test(test_migration_rounds),
                                     cmocka_unit_test(test_power_states), cmocka_unit_test(test_power_samples)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
