/* Internal: the pieces of a simulation shared by the plan replay (replay.c) and an online
 * policy's run (policy_sim.c). Not installed. */
#ifndef MVM_REPLAY_INTERNAL_H
#define MVM_REPLAY_INTERNAL_H

#include "replay.h"
#include "sgbridge.h"

#include <simgrid/forward.h>
#include <stdio.h>

/* In the child: the plugin's parameters and limits from the scenario and o, the hosts'
 * initial states, one VM per scenario VM on its source with its workload (*vms, by VM
 * index; the caller frees it and the host map). Returns 0 or -1. */
int mvm__sim_setup(const mvm_scenario* sc, const mvm_replay_opts* o, mvm__sg_hostmap** hmap, sg_vm_t** vms);
/* In the child, after simgrid_run: writes the actions' figures, the total power steps, the
 * energy up to the last end and that end to out. Returns 0 or -1. */
int mvm__sim_write(FILE* out, const mvm_sim_action* sa, size_t nact);
/* Runs child(arg, out) in a forked process (killed with mvm, registered for the signal
 * handlers); on success *out is the file it wrote, rewound (the caller closes it), *wall
 * the wall-clock time. Returns 0 or MVM_ESIMULATION / MVM_EIO naming `what`. */
int mvm__sim_fork(int (*child)(void* arg, FILE* out), void* arg, const char* what, FILE** out, double* wall,
                  mvm_error* err);
/* In the child, before the simulation: every FATPIPE link the plan's migrations cross that
 * can never limit one of them is made cheap for SimGrid's solver (same results; fatpipe.c
 * says why and when). *nunbound: how many. Returns 0, or -1 if out of memory (links left as
 * they were: the simulation is the same, only slower). */
int mvm__unbind_fatpipes(const mvm_plan* p, const mvm__sg_hostmap* hmap, size_t* nunbound);
/* Reads what mvm__sim_write wrote (nexpected actions) into res. Returns 0 or MVM_ESIMULATION. */
int mvm__sim_read(FILE* in, size_t nexpected, mvm_replay_result* res, mvm_error* err);

#endif
