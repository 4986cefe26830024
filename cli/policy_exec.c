/* Executes a policy in the simulation for the subcommands: an offline policy is planned on
 * the declared scenario and its plan replayed, an online one runs in the loop. */
#include "policy_exec.h"

#include "mvm/bound.h"

#include <stdlib.h>

int cli_policy_execute(const mvm_policy_ref* ref, const mvm_scenario* declared, const mvm_scenario* truth,
                       const mvm_netview* nv, const mvm_replay_opts* ro, mvm_plan** plan, mvm_replay_result* res,
                       mvm_error* err)
{
  *plan = NULL;
  if (ref->p->on_event)
    return mvm_policy_simulate(ref, declared, truth, nv, ro, plan, res, err);
  int rc = mvm_policy_plan(ref, declared, nv, plan, err);
  if (!rc) {
    (*plan)->lower_bound = mvm_lower_bound(declared, nv);
    rc = mvm_replay(truth ? truth : declared, nv, *plan, ro, res, err);
  }
  if (rc) {
    mvm_plan_free(*plan);
    *plan = NULL;
  }
  return rc;
}
