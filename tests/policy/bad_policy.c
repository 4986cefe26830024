/* A policy that asks for something impossible (tests/policy/run.sh): it migrates the first
 * moving VM twice at the start. mvm must stop with an error naming the policy and the action. */
#include "mvm/policy.h"

static int on_event(mvm_policy_ctx* ctx, const mvm_event* ev, mvm_error* err)
{
  const mvm_scenario* sc = mvm_pol_scenario(ctx);
  if (ev->kind != MVM_EV_START)
    return 0;
  for (size_t v = 0; v < sc->nvms; v++)
    if (mvm_pol_vm(ctx, (int)v) == MVM_VM_WAITING && mvm_pol_node(ctx, sc->vms[v].to) == MVM_NODE_ON) {
      double rate = mvm_route_rate(mvm_pol_netview(ctx), v);
      if (mvm_pol_migrate(ctx, (int)v, rate, err))
        return err->code;
      return mvm_pol_migrate(ctx, (int)v, rate, err); /* again: refused */
    }
  return 0;
}

static const mvm_policy bad = {MVM_POLICY_ABI, "bad", "tests/policy/bad_policy.c", 0, NULL, on_event, 0, NULL};

MVM_POLICY_EXPORT const mvm_policy* mvm_policy_entry(void) { return &bad; }
