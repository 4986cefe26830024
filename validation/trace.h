/* mvm — a Paje trace of a replay: one variable type (a tracing category) per migration, the
 * bandwidth it takes on every link of its route over time, for pajeng and ViTE. Internal to
 * the replay (validation/), not installed. */
#ifndef MVM_TRACE_H
#define MVM_TRACE_H

#include "mvm/error.h"
#include "mvm/netview.h"
#include "mvm/scenario.h"

#include <simgrid/forward.h>

typedef struct mvm_trace mvm_trace;

/* A trace of the migrations of sc over the routes of nv (both must outlive it). NULL if out
 * of memory. */
mvm_trace* mvm_trace_new(const mvm_scenario* sc, const mvm_netview* nv);
/* The plugin's round callback (mvm_precopy_set_round_callback, data = the trace): records
 * that the VM's migration sent bytes between start and end, at their mean rate. Out of
 * memory: the trace is marked incomplete (mvm_trace_write then fails). */
void mvm_trace_round(sg_vm_t vm, sg_host_t src, sg_host_t dst, double start, double end, double bytes, void* data);
/* Writes the trace to path (whole: temporary, then renamed), containers closed at `end`.
 * Deterministic: events in time order, then in the order the simulation gave them.
 * Returns 0, MVM_ENOMEM or MVM_EIO. */
int mvm_trace_write(mvm_trace* t, const char* path, double end, mvm_error* err);
void mvm_trace_free(mvm_trace* t);

#endif
