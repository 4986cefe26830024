/* The policy loader's names and the drawn workloads (mvm/policy.h, mvm/drift.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "mvm/drift.h"
#include "mvm/ident.h"
#include "mvm/policy.h"

#include <math.h>
#include <string.h>

static void test_builtin_table(void** state)
{
  (void)state;
  int n = 0, online = 0;
  for (const mvm_policy* const* t = mvm_policy_builtin(); *t; t++, n++) {
    assert_int_equal((*t)->abi, MVM_POLICY_ABI);
    assert_true(mvm_id_valid((*t)->name));
    assert_true(!(*t)->plan != !(*t)->on_event); /* exactly one */
    assert_non_null((*t)->source);
    online += (*t)->on_event != NULL;
  }
  assert_int_equal(n, 8);
  assert_int_equal(online, 5);
}

static void test_names(void** state)
{
  (void)state;
  mvm_policy_ref r;
  mvm_error err = {0};
  assert_int_equal(mvm_policy_load("per-host-3", &r, &err), 0);
  assert_int_equal(r.param, 3);
  assert_string_equal(r.name, "per-host-3");
  assert_string_equal(r.p->name, "per-host");
  assert_int_equal(mvm_policy_load("per-host", &r, &err), 0);
  assert_int_equal(r.param, 1); /* Nova's default */
  assert_int_equal(mvm_policy_load("cap", &r, &err), 0);
  assert_int_equal(r.param, 2);
  assert_int_equal(mvm_policy_load("mvm-online", &r, &err), 0);
  assert_int_equal(r.param, 5); /* % */
  assert_int_equal(mvm_policy_load("kubevirt", &r, &err), 0);
  assert_int_equal(r.param, 0);
  assert_null(r.handle);
  assert_int_equal(mvm_policy_load("kubevirt-2", &r, &err), MVM_EINPUT); /* takes no K */
  assert_int_equal(mvm_policy_load("per-host-0", &r, &err), MVM_EINPUT);
  assert_int_equal(mvm_policy_load("per-host-01", &r, &err), MVM_EINPUT);
  assert_int_equal(mvm_policy_load("per-host-2x", &r, &err), MVM_EINPUT);
  assert_int_equal(mvm_policy_load("", &r, &err), MVM_EINPUT);
  assert_int_equal(mvm_policy_load("./no-such.so", &r, &err), MVM_EINPUT);
  assert_non_null(strstr(err.msg, "not a regular file"));
}

/* Two moving VMs of one workload, one that stays, idle. */
static void scenario(mvm_scenario* sc, mvm_vm* vms, mvm_workload* w)
{
  memset(sc, 0, sizeof *sc);
  *w = (mvm_workload){.id = (char*)"w", .hot_size = 96e6, .hot_duration = 2, .cold_rate = 2e6};
  vms[0] = (mvm_vm){.id = (char*)"a", .used = 1e9, .workload = 0, .from = 0, .to = 1};
  vms[1] = (mvm_vm){.id = (char*)"b", .used = 1e9, .workload = -1, .from = 0, .to = 1};
  vms[2] = (mvm_vm){.id = (char*)"c", .used = 1e9, .workload = 0, .from = 1, .to = 1};
  sc->vms = vms;
  sc->nvms = 3;
  sc->workloads = w;
  sc->nworkloads = 1;
}

static void test_drift(void** state)
{
  (void)state;
  mvm_scenario sc;
  mvm_vm vms[3];
  mvm_workload w;
  scenario(&sc, vms, &w);
  mvm_error err = {0};
  mvm_scenario *d1, *d2, *d3, *d0;
  assert_int_equal(mvm_drift(&sc, 7, 1.5, 0.3, &d1, &err), 0);
  assert_int_equal(mvm_drift(&sc, 7, 1.5, 0.3, &d2, &err), 0);
  assert_int_equal(mvm_drift(&sc, 8, 1.5, 0.3, &d3, &err), 0);
  assert_int_equal(mvm_drift(&sc, 7, 2, 0, &d0, &err), 0);
  assert_int_equal(d1->nworkloads, 3); /* one per VM */
  for (int v = 0; v < 3; v++) {
    assert_int_equal(d1->vms[v].workload, v);
    assert_true(d1->workloads[v].hot_size == d2->workloads[v].hot_size); /* same seed, same draws */
    assert_true(d1->workloads[v].cold_rate == d2->workloads[v].cold_rate);
  }
  assert_true(d1->workloads[0].hot_size != d3->workloads[0].hot_size); /* another seed */
  assert_true(d0->workloads[0].hot_size == 2 * 96e6);                  /* sigma 0: the bias alone */
  assert_true(d0->workloads[0].cold_rate == 2 * 2e6);
  assert_true(d0->workloads[0].hot_duration == 2); /* kept */
  assert_true(d1->workloads[2].hot_size == 96e6);  /* a VM that stays is not drawn */
  assert_true(d1->vms[0].used == 1e9);
  assert_true(sc.vms[0].workload == 0 && w.hot_size == 96e6); /* the declared scenario untouched */
  mvm_drift_free(d1);
  mvm_drift_free(d2);
  mvm_drift_free(d3);
  mvm_drift_free(d0);
  assert_int_equal(mvm_drift(&sc, 1, 0, 0.3, &d1, &err), MVM_EINPUT);
  assert_int_equal(mvm_drift(&sc, 1, 1, 4, &d1, &err), MVM_EINPUT);
  assert_int_equal(mvm_drift(&sc, 1, NAN, 0.3, &d1, &err), MVM_EINPUT);
}

static void test_splitmix(void** state)
{
  (void)state;
  uint64_t s = 1234567; /* splitmix64 (Vigna) from state 1234567, computed independently (Python) */
  assert_true(mvm_splitmix64(&s) == 6457827717110365317ULL);
  assert_true(mvm_splitmix64(&s) == 3203168211198807973ULL);
}

int main(void)
{
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_builtin_table), cmocka_unit_test(test_names),
                                     cmocka_unit_test(test_drift), cmocka_unit_test(test_splitmix)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
