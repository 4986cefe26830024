/* mvm — the policy API: write a live-migration scheduling policy in C, plan with it, or run
 * it in the loop of the SimGrid simulation.
 *
 * A policy is one constant mvm_policy record. It is either
 *   - offline: plan() turns the scenario and the network view into a whole plan (mvm,
 *     btrplace, cap-K); the plan is then replayed like any plan CSV; or
 *   - online: on_event() is called on every event of the execution (the start, a
 *     migration, boot or shutdown that ended, a timer it set) and starts actions at the
 *     current instant through the mvm_pol_* calls below, like a real orchestrator.
 * An online policy runs against one of two executions, through the same calls:
 *   - the simulation (mvm replay/run/compare -s NAME): SimGrid and the precopy plugin;
 *     each MIGRATED event carries the simulated figures (rounds, data, downtime);
 *   - the prediction (mvm plan -s NAME): a discrete-event loop in which a migration lasts
 *     what the scheduler's model predicts at its rate (mvm/model.h), without SimGrid.
 * Either way the run ends when nothing runs and no timer is pending after a callback; every
 * VM must then be on its destination and every node in its final state. The executed
 * timeline is a plan (mvm/plan.h): predicted runs are plain plans, simulated ones carry
 * `# timeline: executed` and `mvm check` checks them (all but the model's durations).
 *
 * Loading (mvm_policy_load): a built-in name ("one-by-one", "per-host-2", "kubevirt", ...;
 * mvm_policy_builtin lists them), or a path holding a '/' to a shared object that exports
 *     MVM_POLICY_EXPORT const mvm_policy* mvm_policy_entry(void);
 * Loading a shared object runs its code inside mvm with the user's rights (its constructors
 * run at dlopen): it is the user's own code, a trust boundary mvm does not police. Only
 * load what you would run as a program. The scenario files stay untrusted input as always.
 *
 * Rates are effective flow rates in bytes/s (what a plan's bandwidth_mbps gives x 1e6/8);
 * times in simulated seconds; VMs and nodes are indices into the scenario's sorted arrays.
 * Every call returns 0 or an mvm error code and never prints; a request the execution
 * cannot carry out (a VM already moved, a destination that is off, a rate that never
 * converges, ...) returns MVM_ESIMULATION with err saying "policy 'NAME': t=T s: ACTION
 * SUBJECT: why", and the run stops with that error if the callback returns it (mvm exits 4).
 * A run delivers at most 10^7 events (a policy that sets timers forever is stopped). */
#ifndef MVM_POLICY_H
#define MVM_POLICY_H

#include "mvm/error.h"
#include "mvm/netview.h"
#include "mvm/plan.h"
#include "mvm/scenario.h"

#define MVM_POLICY_ABI 1

/* Put before a policy object's mvm_policy_entry: it stays visible under -fvisibility=hidden. */
#define MVM_POLICY_EXPORT __attribute__((visibility("default")))

typedef struct mvm_policy_ctx mvm_policy_ctx;

typedef enum {
  MVM_EV_START,    /* once, at time 0 */
  MVM_EV_MIGRATED, /* a migration ended (vm, figures) */
  MVM_EV_BOOTED,   /* a node finished booting (node) */
  MVM_EV_SHUTDOWN, /* a node finished shutting down (node) */
  MVM_EV_TIMER     /* a timer set with mvm_pol_timer fired (timer) */
} mvm_event_kind;

typedef struct mvm_event {
  mvm_event_kind kind;
  double now;       /* s */
  int vm;           /* MIGRATED: VM index, else -1 */
  int node;         /* BOOTED, SHUTDOWN: node index, else -1 */
  long timer;       /* TIMER: the id mvm_pol_timer returned */
  /* MIGRATED: what the execution measured (simulation) or predicted (prediction) */
  double start, end; /* s */
  double rate;       /* bytes/s it was given */
  double predicted;  /* s the scheduler's model gives for it at that rate (declared workload) */
  double bytes;      /* data sent */
  double downtime;   /* s */
  int rounds, converged;
} mvm_event;

typedef struct mvm_policy {
  unsigned abi;       /* MVM_POLICY_ABI */
  const char* name;   /* an id (mvm/ident.h): it names the plans and reports */
  const char* source; /* where the policy comes from (paper, software and setting) */
  int default_param;  /* the K of "name-K" when not given (0: the policy takes none) */
  /* Offline: computes a plan (free with mvm_plan_free). Returns 0 or an error in err. */
  int (*plan)(const mvm_scenario* sc, const mvm_netview* nv, int param, mvm_plan** out, mvm_error* err);
  /* Online: reacts to ev. Returns 0, or an error (the run stops with it). */
  int (*on_event)(mvm_policy_ctx* ctx, const mvm_event* ev, mvm_error* err);
  size_t state_size;                /* bytes of per-run state, zeroed: mvm_pol_state */
  void (*cleanup)(mvm_policy_ctx* ctx); /* frees what the state points to; may be NULL */
} mvm_policy;

/* ---------- loading ---------- */

/* A loaded policy. */
typedef struct mvm_policy_ref {
  const mvm_policy* p;
  int param;     /* the K of "name-K", or the policy's default */
  char name[160]; /* the name as given, e.g. "per-host-2", or the object's policy name */
  void* handle;  /* dlopen handle, NULL for a built-in */
} mvm_policy_ref;

/* Loads `spec`: "NAME" or "NAME-K" from the built-in table, or a path with a '/' to a
 * shared object (see above). Returns 0, MVM_EINPUT (unknown name, bad K, an object that
 * does not load, lacks mvm_policy_entry or has another ABI or no callback). Release with
 * mvm_policy_unload. */
int mvm_policy_load(const char* spec, mvm_policy_ref* out, mvm_error* err);
void mvm_policy_unload(mvm_policy_ref* ref);
/* The built-in policies, NULL-terminated. */
const mvm_policy* const* mvm_policy_builtin(void);

/* Plans with a policy: an offline one's plan(), or an online one run against the
 * prediction. The plan is named after ref->name. Returns 0 or an error. */
int mvm_policy_plan(const mvm_policy_ref* ref, const mvm_scenario* sc, const mvm_netview* nv, mvm_plan** out,
                    mvm_error* err);

/* ---------- what an online policy sees ---------- */

typedef enum { MVM_VM_STAYS, MVM_VM_WAITING, MVM_VM_MIGRATING, MVM_VM_DONE } mvm_vm_status;
typedef enum { MVM_NODE_OFF, MVM_NODE_BOOTING, MVM_NODE_ON, MVM_NODE_SHUTTING_DOWN } mvm_node_status;

double mvm_pol_now(const mvm_policy_ctx* ctx);
const mvm_scenario* mvm_pol_scenario(const mvm_policy_ctx* ctx); /* as declared */
const mvm_netview* mvm_pol_netview(const mvm_policy_ctx* ctx);
int mvm_pol_param(const mvm_policy_ctx* ctx);
const char* mvm_pol_name(const mvm_policy_ctx* ctx);
void* mvm_pol_state(mvm_policy_ctx* ctx); /* state_size zeroed bytes, NULL if 0 */
int mvm_pol_simulated(const mvm_policy_ctx* ctx); /* 1 in the simulation, 0 in the prediction */

mvm_vm_status mvm_pol_vm(const mvm_policy_ctx* ctx, int vm);
mvm_node_status mvm_pol_node(const mvm_policy_ctx* ctx, int node);
int mvm_pol_running(const mvm_policy_ctx* ctx);              /* migrations in flight */
int mvm_pol_outgoing(const mvm_policy_ctx* ctx, int node);   /* ... out of node */
int mvm_pol_incoming(const mvm_policy_ctx* ctx, int node);   /* ... into node */
int mvm_pol_remaining(const mvm_policy_ctx* ctx);            /* migrations not started */
/* Rate (bytes/s) VM v could get now without overbooking any network element: what the
 * running migrations leave on its route, at most its route's rate (mvm_route_rate). */
double mvm_pol_free_rate(const mvm_policy_ctx* ctx, int vm);
/* Rate at or below which VM v's migration never converges (declared workload). */
double mvm_pol_min_rate(const mvm_policy_ctx* ctx, int vm);
/* The model's duration (s) of VM v's migration at rate (declared workload; INFINITY if it
 * never converges). */
double mvm_pol_predict(const mvm_policy_ctx* ctx, int vm, double rate);

/* ---------- what an online policy does (at the current instant) ---------- */

/* Migrates VM vm to its destination at `rate` bytes/s. The VM must be waiting, its
 * destination on, the rate finite and above mvm_pol_min_rate. */
int mvm_pol_migrate(mvm_policy_ctx* ctx, int vm, double rate, mvm_error* err);
/* Boots an off node / shuts down an on node that hosts no VM and no migration in flight. A
 * node boots at most once and shuts down at most once. */
int mvm_pol_boot(mvm_policy_ctx* ctx, int node, mvm_error* err);
int mvm_pol_shutdown(mvm_policy_ctx* ctx, int node, mvm_error* err);
/* A TIMER event at time `at` (>= now); *id (may be NULL) receives its id. */
int mvm_pol_timer(mvm_policy_ctx* ctx, double at, long* id, mvm_error* err);

/* Helpers most policies want: boot every off node that some VM moves to and that is not
 * booted yet; shut down every node that must end off, is on and holds nothing any more. */
int mvm_pol_boot_destinations(mvm_policy_ctx* ctx, mvm_error* err);
int mvm_pol_shutdown_emptied(mvm_policy_ctx* ctx, mvm_error* err);

#endif
