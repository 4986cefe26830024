/* mvm — an online policy (mvm/policy.h) run in the loop of the SimGrid simulation. */
#ifndef MVM_POLICY_SIM_H
#define MVM_POLICY_SIM_H

#include "mvm/policy.h"
#include "replay.h"

/* Runs ref's online policy in a forked SimGrid child (the platform must be loaded). The
 * policy sees `declared`; the simulation runs `truth` (the same VMs and nodes, other
 * workloads: mvm compare's drawn ones; NULL: declared). On success returns 0, the executed
 * timeline in *timeline (a normalised plan with `executed` set; free with mvm_plan_free) and
 * the simulated figures of its actions, same order, in *res (mvm_replay_result_free).
 * Errors: the policy's (MVM_ESIMULATION "policy 'NAME': ..."), MVM_EINPUT for an offline
 * policy, MVM_ESIMULATION if the simulation failed. */
int mvm_policy_simulate(const mvm_policy_ref* ref, const mvm_scenario* declared, const mvm_scenario* truth,
                        const mvm_netview* nv, const mvm_replay_opts* o, mvm_plan** timeline, mvm_replay_result* res,
                        mvm_error* err);

#endif
