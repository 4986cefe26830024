/* mvm command-line tool: a policy executed in the simulation (offline: planned, then
 * replayed; online: in the loop). */
#ifndef MVM_CLI_POLICY_EXEC_H
#define MVM_CLI_POLICY_EXEC_H

#include "mvm/policy.h"
#include "policy_sim.h"
#include "replay.h"

/* Plans on `declared` and simulates `truth` (NULL: declared). On success *plan is the plan
 * (offline) or the executed timeline (online) and *res its simulated figures. */
int cli_policy_execute(const mvm_policy_ref* ref, const mvm_scenario* declared, const mvm_scenario* truth,
                       const mvm_netview* nv, const mvm_replay_opts* ro, mvm_plan** plan, mvm_replay_result* res,
                       mvm_error* err);

#endif
