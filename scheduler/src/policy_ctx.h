/* Internal: the state of an online policy's run, shared by the two executions (the
 * prediction, policy_predict.c, and the simulation, validation/policy_sim.c). Not installed. */
#ifndef MVM_POLICY_CTX_H
#define MVM_POLICY_CTX_H

#include "mvm/policy.h"

/* What the execution does when the policy starts an action: it starts it now and, when it
 * ends, feeds the event back through mvm__pol_event. Each returns 0 or -1 (out of memory). */
typedef struct mvm__pol_backend {
  int (*migrate)(void* be, int vm, double rate, int rec);
  int (*boot)(void* be, int node, int rec);
  int (*shutdown)(void* be, int node, int rec);
  int (*timer)(void* be, double at, long id);
  void* be;
} mvm__pol_backend;

/* One action of the executed timeline. */
typedef struct mvm__pol_record {
  mvm_action_kind kind;
  int subject; /* VM or node index */
  double start, end, rate;
  double bytes, downtime, energy; /* migrations, as measured */
  int rounds, converged, failed, done;
} mvm__pol_record;

struct mvm_policy_ctx {
  const mvm_policy_ref* ref;
  const mvm_scenario* sc;
  const mvm_netview* nv;
  double now;
  int simulated;
  void* state;
  mvm_vm_status* vm;
  int* vm_rec;             /* record of the VM's migration in flight, -1 */
  mvm_node_status* node;
  char *booted, *shut;     /* a node boots / shuts down at most once */
  int *hosted, *out, *in;  /* per node: VMs held (a migrating VM on both), migrations out, in */
  int running, remaining, busy, timers;
  long events;             /* delivered so far (bounded: MVM__POL_MAX_EVENTS) */
  long next_timer;
  double* used;            /* per network element: the rates reserved on it */
  mvm__pol_record* rec;
  size_t nrec, caprec;
  mvm__pol_backend be;
};

/* A run delivers at most this many events (a policy that sets timers forever stops). */
#define MVM__POL_MAX_EVENTS 10000000L

/* Sets up ctx for a run of ref on sc (as declared) and nv. Returns 0 or MVM_ENOMEM. */
int mvm__pol_init(mvm_policy_ctx* ctx, const mvm_policy_ref* ref, const mvm_scenario* sc, const mvm_netview* nv,
                  int simulated, const mvm__pol_backend* be, mvm_error* err);
void mvm__pol_free(mvm_policy_ctx* ctx);
/* Delivers ev (its `now` is the current instant): updates the state for the action that
 * ended (record ev->... for MIGRATED: rec index in `rec`, figures from ev), then calls the
 * policy. Returns 0 or the policy's error. */
int mvm__pol_event(mvm_policy_ctx* ctx, mvm_event* ev, int rec, mvm_error* err);
/* Adds rate (negative: takes it back) to what VM v's route and route back carry. */
void mvm__pol_reserve(mvm_policy_ctx* ctx, int v, double rate);
/* 1 while actions or timers are pending. */
static inline int mvm__pol_pending(const mvm_policy_ctx* ctx) { return ctx->busy > 0 || ctx->timers > 0; }
/* After the last event: every VM on its destination, every node in its final state, or
 * MVM_ESIMULATION naming what the policy left undone. */
int mvm__pol_finish(mvm_policy_ctx* ctx, mvm_error* err);
/* The executed timeline as a plan named after the policy, actions in record order (not
 * normalised). Returns 0 or MVM_ENOMEM. */
int mvm__pol_timeline(const mvm_policy_ctx* ctx, mvm_plan** out, mvm_error* err);

#endif
