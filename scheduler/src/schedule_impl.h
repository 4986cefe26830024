/* Internal to the schedule generation (schedule.c, schedule_setup.c) and its diagnosis
 * (diagnose.c): the generator's state. Everyone else goes through schedule.h.
 *
 * Invariants: r[i].used is the sum of what the running (or, for node memory, the
 * already started) actions hold on resource i; `power` is the predicted draw at the current
 * time. An action is in exactly one state: waiting for predecessors, held (a sync member
 * whose group is not complete), ready (in the ready heap), parked (in one resource's watch
 * heap), running (in the running heap) or done.
 *
 * The action layout (set up by mvm__gen_setup): migrations in VM order, then boots in
 * node order, then shutdowns in node order. */
#ifndef MVM_SCHEDULE_IMPL_H
#define MVM_SCHEDULE_IMPL_H

#include "heap.h"
#include "mvm/model.h"
#include "schedule.h"

#define MVM__EPS_REL 1e-9 /* relative tolerance of the capacity checks */

/* action kinds, action states, resource kinds */
enum { MVM__A_MIG, MVM__A_BOOT, MVM__A_SHUT };
enum { MVM__S_WAIT, MVM__S_HELD, MVM__S_READY, MVM__S_PARKED, MVM__S_RUNNING, MVM__S_DONE };
enum { MVM__R_ELEM, MVM__R_POWER, MVM__R_MEM, MVM__R_CORES, MVM__R_SERIAL, MVM__R_CAP, MVM__R_OPEN };

typedef struct mvm__res {
  int kind;
  int ref; /* element, constraint or node index */
  double cap, used;
  double from, to; /* power window */
  iheap watch;
} mvm__res;

typedef struct mvm__act {
  int kind;
  int ref; /* vm index (migration) or node index */
  int npred;
  int succ_first, nsucc;
  int sync; /* sync group or -1 */
  double rate_full, rate_min, dur_full;
  double start, end, rate, power;
  int state;
  int parked_on;
  int parked_kinds; /* bit per resource kind it ever waited on (for explanations) */
  int halved;       /* runs at half its full rate (mvm__gen_halve) */
} mvm__act;

struct mvm__gen {
  const mvm_scenario* sc;
  const mvm_netview* nv;
  mvm_solver_opts o;
  mvm_error* err;
  int use_network;
  mvm__act* a;
  int na;
  double* prio;
  double* endkey;
  int* succ;
  mvm__res* r;
  int nr;
  int* elem_res;  /* element -> resource or -1 (FATPIPE) */
  int* node_mem;  /* node -> resource or -1 */
  int* node_cores;
  int* boot_of;   /* node -> boot action or -1 */
  int* ser_first; /* vm -> CSR of serialize resources */
  int* ser;
  int* power_res;
  int npower;
  int cap_res;
  int** groups; /* sync groups: member actions */
  int* group_size;
  int* group_ready;
  int ngroups;
  double* gspan; /* per group: its duration when it must last longer than its longest member
                    at full rate to fit (group_span), NAN: not computed yet; kept across runs */
  int* mig_of_vm; /* vm -> migration action or -1 */
  int open_res;    /* booted nodes still waiting for migrations (variant max_open) or -1 */
  int* pending_in; /* node -> incoming migrations not yet started */
  int* receiving;  /* node -> incoming migrations running */
  char* open_counted; /* node -> counted in the open set */
  int open_idle;   /* variant: the open set counts only booted nodes receiving nothing */
  int boots_last;  /* variant: boots after the ready migrations in priority */
  int split;       /* variant: low-dirtying migrations at 1/split of their rate (0, 1: no) */
  int even;        /* variant: ... as soon as that sends less (mvm__variant.even) */
  int halve_short; /* variant: the migrations at most as long as the median halved (mvm__variant) */
  size_t* wfirst;  /* vm -> first of its loads in wts */
  double* wts;     /* per vm, per loaded element (route, then route back): load per unit rate */
  int ack_reserve; /* variant: a migration's full rate leaves room, on every element of its
                      route, for the acknowledgements of one migration going the other way */
  int max_open;    /* variant: at most this many such nodes (0: no limit) */
  mvm__rule rule;  /* variant: the priority rule */
  double power;
  double now;
  iheap ready, running;
  const double* release; /* per action: not before this instant (search hints), or NULL */
  iheap timers;          /* ready actions waiting for their release */
  int ran;               /* a run has used the state set up: the next one sets it up again */
};

/* Sets up s (whose sc, nv, o, err, use_network and variant fields are set, the rest
 * zero): resources, actions, sync groups, precedences, the rule's priorities. Returns 0,
 * or MVM_EINFEASIBLE / MVM_ENOMEM in s->err; what it allocated is freed with the
 * generator, even on error (schedule_setup.c). */
int mvm__gen_setup(mvm__gen* s);

/* After the set-up: every migration with halve[i] non-zero (one entry per action; NULL:
 * under variant halve_short, those that last at most the median full-rate duration), in no
 * sync group and with the network on, runs at half its full rate, when that rate stays
 * LEVEL_MIN_MARGIN above its never-converges limit (its set-up, which holds the rate, then
 * overlaps another half-rate migration's transfer: two such migrations share one lane). */
void mvm__gen_halve(mvm__gen* s, const unsigned char* halve);

/* The predicted duration (s) of vm's migration at `rate` (B/s): pre-copy, or the naive
 * memory / rate of the btrplace baseline. */
static inline double mvm__mig_duration(const mvm__gen* s, int vm, double rate)
{
  if (s->o.kind == MVM_SCHED_BTRPLACE)
    return mvm_naive_duration(s->sc->vms[vm].memory, rate);
  mvm_precopy_params p;
  mvm_vm_precopy(s->sc, s->nv, (size_t)vm, &p);
  return mvm_precopy_duration(&p, rate);
}

/* The elements a migration loads: its route (k < count), then its route back, where the
 * acknowledgements go (k < count + ack_count). */
static inline int mvm__loaded_elem(const mvm_netview* nv, const mvm_route* rt, size_t k)
{
  return k < rt->count ? nv->route_elems[rt->first + k] : nv->ack_elems[rt->ack_first + k - rt->count];
}

#endif
