/* Plan CSV round trip, and the scheduler + checker on scenarios whose network view is
 * built by hand (the scheduler core needs no SimGrid). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mvm/check.h"
#include "mvm/plan.h"
#include "mvm/solver.h"
#include "schedule.h" /* the local search, tested through its internal header */

static void test_roundtrip(void** state)
{
  (void)state;
  mvm_error err = {0};
  mvm_plan* p = mvm_plan_new(&err);
  assert_int_equal(mvm_plan_add(p, MVM_ACT_MIGRATE, "vm1", "a", "b", 1.0 / 3.0, 17.123456789, 485.0000004, &err), 0);
  assert_int_equal(mvm_plan_add(p, MVM_ACT_BOOT, "b", "b", "b", 0, 120, 0, &err), 0);
  assert_int_equal(mvm_plan_add(p, MVM_ACT_SHUTDOWN, "a", "a", "a", 17.1234567, 47.1234567, 0, &err), 0);
  char path[] = "/tmp/mvm-test-plan-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  close(fd);
  assert_int_equal(mvm_plan_write(p, path, &err), 0);
  mvm_plan* q = NULL;
  assert_int_equal(mvm_plan_read(path, &q, &err), 0);
  assert_int_equal(q->nactions, p->nactions);
  for (size_t i = 0; i < p->nactions; i++) {
    assert_int_equal(q->actions[i].kind, p->actions[i].kind);
    assert_string_equal(q->actions[i].subject, p->actions[i].subject);
    assert_true(q->actions[i].start == p->actions[i].start); /* bit-exact */
    assert_true(q->actions[i].end == p->actions[i].end);
    assert_true(q->actions[i].bandwidth_mbps == p->actions[i].bandwidth_mbps);
  }
  assert_string_equal(p->actions[0].subject, "b"); /* sorted by start then subject */
  unlink(path);
  mvm_plan_free(p);
  mvm_plan_free(q);
}

static void test_bad_plan(void** state)
{
  (void)state;
  const char* cases[][2] = {
      {"action,subject,from,to,start,end,bandwidth_mbps\nmigrate,vm1,a,b,5,3,100\n", ":2: migrate 'vm1': ends"},
      {"action,subject,from,to,start,end,bandwidth_mbps\nteleport,vm1,a,b,0,3,100\n", ":2: action: unknown action"},
      {"action,subject,from,to,start,end,bandwidth_mbps\nmigrate,vm1,a,b,0,3,-1\n", "bandwidth_mbps '-1'"},
      {"action,subject,from,to,start,end,bandwidth_mbps\nmigrate,vm1,a,b,0,3\n", "expected 7 columns"},
      {"hello\n", ":1: header"},
      {"", "header: missing"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char path[] = "/tmp/mvm-test-bad-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_true(write(fd, cases[i][0], strlen(cases[i][0])) == (ssize_t)strlen(cases[i][0]));
    close(fd);
    mvm_error err = {0};
    mvm_plan* p = NULL;
    assert_int_equal(mvm_plan_read(path, &p, &err), MVM_EINPUT);
    assert_null(p);
    if (!strstr(err.msg, cases[i][1]))
      fail_msg("case %zu: '%s' does not contain '%s'", i, err.msg, cases[i][1]);
    unlink(path);
  }
}

/* ---- a scenario and network view by hand: n VMs from their own source through one
 * shared link of capacity cap_mbps (nominal) into one destination ---- */
typedef struct fixture {
  mvm_scenario sc;
  mvm_netview nv;
  mvm_node nodes[8];
  mvm_vm vms[8];
  mvm_workload w[1];
  mvm_element el[8];
  int route_elems[32];
  mvm_route routes[8];
  mvm_constraint cons[4];
  int cvms[4][8];
} fixture;

/* route of VM i: its own source link (src_mbps[i]) then the shared link (elem 0) */
static void build(fixture* f, int n, const double* used, const double* src_mbps, double shared_mbps, int stressed)
{
  memset(f, 0, sizeof *f);
  f->sc.defaults = mvm_defaults_standard();
  f->sc.path = "fixture.xml";
  f->w[0] = (mvm_workload){"stressed", 46e6, 2.0, 22.6e6, 0};
  f->sc.workloads = f->w;
  f->sc.nworkloads = 1;
  static char names[8][8];
  for (int i = 0; i <= n; i++) {
    snprintf(names[i], sizeof names[i], i < n ? "s%d" : "t", i);
    f->nodes[i] = (mvm_node){names[i], 1, 1, -1, -1, 1};
  }
  static char ids[8][8];
  f->el[0] = (mvm_element){"shared", shared_mbps * 1e6 / 8, 0, 1};
  for (int i = 0; i < n; i++) {
    snprintf(ids[i], sizeof ids[i], "vm%d", i);
    f->vms[i] = (mvm_vm){ids[i], used[i], used[i], 1, stressed ? 0 : -1, i, n, 1};
    f->el[i + 1] = (mvm_element){ids[i], src_mbps[i] * 1e6 / 8, 0, 1};
    f->route_elems[2 * i] = i + 1;
    f->route_elems[2 * i + 1] = 0;
    f->routes[i] = (mvm_route){(size_t)(2 * i), 2, fmin(src_mbps[i], shared_mbps) * 1e6 / 8, 0, 0, 0};
  }
  f->sc.nodes = f->nodes;
  f->sc.nnodes = (size_t)n + 1;
  f->sc.vms = f->vms;
  f->sc.nvms = (size_t)n;
  f->sc.constraints = f->cons;
  f->nv.elems = f->el;
  f->nv.nelems = (size_t)n + 1;
  f->nv.route_elems = f->route_elems;
  f->nv.routes = f->routes;
  f->nv.nroutes = (size_t)n;
  f->nv.bw_factor = 0.97;
}

static size_t check_plan(fixture* f, mvm_plan* p)
{
  size_t nviol = 99;
  mvm_error err = {0};
  FILE* devnull = fopen("/dev/null", "w");
  assert_int_equal(mvm_check(&f->sc, &f->nv, p, "plan", devnull, 10, &nviol, &err), 0);
  fclose(devnull);
  return nviol;
}

static const mvm_action* find(const mvm_plan* p, const char* subject)
{
  for (size_t i = 0; i < p->nactions; i++)
    if (!strcmp(p->actions[i].subject, subject))
      return &p->actions[i];
  fail_msg("no action for %s", subject);
  return NULL;
}

/* Two idle VMs at 1 Gb/s each through a 1 Gb/s link: one after the other (SPT), checked. */
static void test_sequential_on_bottleneck(void** state)
{
  (void)state;
  fixture f;
  double used[] = {1000e6, 2000e6}, src[] = {1000, 1000};
  build(&f, 2, used, src, 1000, 0);
  mvm_solver_opts o = mvm_solver_defaults();
  mvm_plan* p = NULL;
  mvm_error err = {0};
  assert_int_equal(mvm_solve(&f.sc, &f.nv, &o, &p, &err), 0);
  const mvm_action* a = find(p, "vm0");
  const mvm_action* b = find(p, "vm1");
  assert_true(a->start == 0);
  assert_true(fabs(b->start - a->end) < 1e-6); /* shortest first, then the other */
  assert_true(fabs(a->bandwidth_mbps - 970) < 1e-6);
  assert_int_equal(check_plan(&f, p), 0);
  assert_true(mvm_lower_bound(&f.sc, &f.nv) <= mvm_plan_sum_ends(p) + 1e-6);
  mvm_plan_free(p);
}

/* Rate levels: vm0 is slow (its source link gives 600 Mb/s), long, and goes first (it has
 * a deadline); vm1 could use the full 1 Gb/s. With levels, vm1 starts at once on the
 * 388 Mb/s left (20.6 s) instead of waiting 110 s for vm0: sum 130.6 s instead of 228 s. */
static void test_levels_help(void** state)
{
  (void)state;
  fixture f;
  double used[] = {8000e6, 1000e6}, src[] = {600, 1000};
  build(&f, 2, used, src, 1000, 0);
  f.cvms[0][0] = 0;
  f.cons[0] = (mvm_constraint){MVM_C_DEADLINE, f.cvms[0], 1, 200.0, 0, 0, INFINITY, 5};
  f.sc.nconstraints = 1;
  mvm_solver_opts o = mvm_solver_defaults();
  o.search = 0; /* the rate levels alone (the search is tested apart) */
  mvm_plan *with = NULL, *without = NULL;
  mvm_error err = {0};
  assert_int_equal(mvm_solve(&f.sc, &f.nv, &o, &with, &err), 0);
  o.levels = 0;
  assert_int_equal(mvm_solve(&f.sc, &f.nv, &o, &without, &err), 0);
  assert_true(mvm_plan_sum_ends(with) < 0.8 * mvm_plan_sum_ends(without));
  const mvm_action* b = find(with, "vm1");
  assert_true(b->start == 0 && b->bandwidth_mbps < 970 - 1);
  assert_int_equal(check_plan(&f, with), 0);
  assert_int_equal(check_plan(&f, without), 0);
  mvm_plan_free(with);
  mvm_plan_free(without);
}

/* Never converging: a stressed VM behind a 50 Mb/s link (5.9 MB/s effective < 11.5 MB/s: half
 * its 23 MB/s hot rate is sent again, the calibrated dirty-resend). */
static void test_never_converges_named(void** state)
{
  (void)state;
  fixture f;
  double used[] = {1000e6}, src[] = {50};
  build(&f, 1, used, src, 1000, 1);
  mvm_solver_opts o = mvm_solver_defaults();
  mvm_plan* p = NULL;
  mvm_error err = {0};
  assert_int_equal(mvm_solve(&f.sc, &f.nv, &o, &p, &err), MVM_EINFEASIBLE);
  assert_non_null(strstr(err.msg, "vm 'vm0' never converges"));
  assert_null(p);
}

/* Sync: different sizes end together; the shorter one gets a lower rate. Power budget
 * below the idle draw is infeasible and named. */
static void test_sync_and_power(void** state)
{
  (void)state;
  fixture f;
  double used[] = {1000e6, 3000e6}, src[] = {1000, 1000};
  build(&f, 2, used, src, 10000, 0);
  f.cvms[0][0] = 0;
  f.cvms[0][1] = 1;
  f.cons[0] = (mvm_constraint){MVM_C_SYNC, f.cvms[0], 2, 0, 0, 0, INFINITY, 7};
  f.sc.nconstraints = 1;
  mvm_solver_opts o = mvm_solver_defaults();
  mvm_plan* p = NULL;
  mvm_error err = {0};
  assert_int_equal(mvm_solve(&f.sc, &f.nv, &o, &p, &err), 0);
  const mvm_action* a = find(p, "vm0");
  const mvm_action* b = find(p, "vm1");
  assert_true(fabs(a->end - b->end) < 1e-5);
  assert_true(a->bandwidth_mbps < b->bandwidth_mbps);
  assert_int_equal(check_plan(&f, p), 0);
  /* a plan that breaks sync is caught by the checker */
  p->actions[0].end += 1;
  assert_true(check_plan(&f, p) > 0);
  mvm_plan_free(p);
  f.cons[1] = (mvm_constraint){MVM_C_POWER, NULL, 0, 0, 100.0, 0, INFINITY, 9};
  f.sc.nconstraints = 2;
  assert_int_equal(mvm_solve(&f.sc, &f.nv, &o, &p, &err), MVM_EINFEASIBLE);
  assert_non_null(strstr(err.msg, "fixture.xml:9: power-budget"));
}

/* The search's rate-halving moves: seven idle VMs through one 1 Gb/s link (one lane), two of
 * 500 MB and five of 4000 MB. The two short ones at half the rate side by side last 2.5 s
 * less than one after the other (each one's set-up, which holds its rate, overlaps the
 * other's transfer), so every later migration ends sooner: the search with those moves finds
 * a smaller sum (608.2 s) than the same search without them (619.0 s, shortest first at full
 * rate), with migrations at half the rate. */
static void test_search_halves(void** state)
{
  (void)state;
  fixture f;
  double used[] = {500e6, 500e6, 4000e6, 4000e6, 4000e6, 4000e6, 4000e6};
  double src[] = {1000, 1000, 1000, 1000, 1000, 1000, 1000};
  build(&f, 7, used, src, 1000, 0);
  mvm_solver_opts o = mvm_solver_defaults();
  mvm__variant v = {"shortest", MVM__RULE_SHORTEST, 0, 0, 0, 0, 0, 0, 0};
  mvm_plan *p[2] = {NULL, NULL};
  double val[2] = {INFINITY, INFINITY};
  mvm_error err = {0};
  for (int h = 0; h < 2; h++)
    assert_int_equal(mvm__local_search(&f.sc, &f.nv, &o, &v, INFINITY, 400, h, &p[h], &val[h], &err), 0);
  assert_non_null(p[0]);
  assert_non_null(p[1]);
  assert_true(fabs(val[1] - mvm_plan_sum_ends(p[1])) < 1e-6);
  assert_true(val[1] < val[0] - 1);
  int halves = 0;
  for (size_t i = 0; i < p[0]->nactions; i++)
    assert_true(fabs(p[0]->actions[i].bandwidth_mbps - 970) < 1e-6); /* one lane at full rate */
  for (size_t i = 0; i < p[1]->nactions; i++)
    halves += fabs(p[1]->actions[i].bandwidth_mbps - 485) < 1e-6;
  assert_true(halves >= 2);
  assert_int_equal(check_plan(&f, p[1]), 0);
  mvm_plan_free(p[0]);
  mvm_plan_free(p[1]);
}

/* The checker catches an overcommitted link (the BtrPlace plan ignores the network). */
static void test_checker_catches_overcommit(void** state)
{
  (void)state;
  fixture f;
  double used[] = {1000e6, 1000e6, 1000e6}, src[] = {1000, 1000, 1000};
  build(&f, 3, used, src, 1000, 0);
  mvm_solver_opts o = mvm_solver_defaults();
  o.kind = MVM_SCHED_BTRPLACE;
  mvm_plan* p = NULL;
  mvm_error err = {0};
  assert_int_equal(mvm_solve(&f.sc, &f.nv, &o, &p, &err), 0);
  for (size_t i = 0; i < p->nactions; i++)
    assert_true(p->actions[i].start == 0);
  assert_true(check_plan(&f, p) > 0);
  mvm_plan_free(p);
  o.kind = MVM_SCHED_CAP;
  o.cap_k = 2;
  assert_int_equal(mvm_solve(&f.sc, &f.nv, &o, &p, &err), 0);
  int at0 = 0;
  for (size_t i = 0; i < p->nactions; i++)
    at0 += p->actions[i].start == 0;
  assert_int_equal(at0, 2);
  mvm_plan_free(p);
}

/* The checker never reports a count after an allocation failure: every allocation of a
 * check, failed in turn, gives MVM_ENOMEM; a check that met no failure gives the full count. */
static void test_checker_honest_out_of_memory(void** state)
{
  (void)state;
  fixture f;
  double used[] = {1000e6, 1000e6, 1000e6}, src[] = {1000, 1000, 1000};
  build(&f, 3, used, src, 1000, 0);
  f.cons[0] = (mvm_constraint){MVM_C_POWER, NULL, 0, 0, 1e6, 0, INFINITY, 9}; /* runs the power sweep */
  f.sc.nconstraints = 1;
  mvm_solver_opts o = mvm_solver_defaults();
  o.kind = MVM_SCHED_BTRPLACE; /* overcommits the shared link: violations to count */
  mvm_plan* p = NULL;
  mvm_error err = {0};
  assert_int_equal(mvm_solve(&f.sc, &f.nv, &o, &p, &err), 0);
  size_t base = check_plan(&f, p);
  assert_true(base > 0);
  FILE* devnull = fopen("/dev/null", "w");
  int failures = 0;
  for (unsigned long k = 1; k < 100; k++) {
    size_t nviol = 12345;
    mvm_alloc_fail_at(k);
    int rc = mvm_check(&f.sc, &f.nv, p, "plan", devnull, 10, &nviol, &err);
    if (mvm_alloc_fail_at(0)) {
      assert_int_equal(rc, MVM_ENOMEM);
      failures++;
    } else {
      assert_int_equal(rc, 0);
      assert_int_equal(nviol, base);
      break;
    }
  }
  assert_true(failures >= 5); /* mig, boot, shut, the network and node sweeps, the power profile */
  fclose(devnull);
  mvm_plan_free(p);
}

int main(void)
{
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_roundtrip),
                                     cmocka_unit_test(test_bad_plan),
                                     cmocka_unit_test(test_sequential_on_bottleneck),
                                     cmocka_unit_test(test_levels_help),
                                     cmocka_unit_test(test_never_converges_named),
                                     cmocka_unit_test(test_sync_and_power),
                                     cmocka_unit_test(test_search_halves),
                                     cmocka_unit_test(test_checker_catches_overcommit),
                                     cmocka_unit_test(test_checker_honest_out_of_memory)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
