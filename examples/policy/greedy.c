/* greedy: a whole mvm policy (docs/tutorial.md). On every event it boots the destinations,
 * shuts the emptied servers down, and starts each waiting migration, shortest predicted
 * first, at the rate its route has free, if that is at least half its route's rate.
 * Build: cc -shared -fPIC greedy.c $(pkg-config --cflags --libs mvm) -o greedy.so
 * Use:   mvm plan SCENARIO -s ./greedy.so; mvm compare SCENARIO -s mvm,./greedy.so */
#include <mvm/policy.h>

static int on_event(mvm_policy_ctx* ctx, const mvm_event* ev, mvm_error* err)
{
  (void)ev;
  const mvm_scenario* sc = mvm_pol_scenario(ctx);
  const mvm_netview* nv = mvm_pol_netview(ctx);
  if (mvm_pol_boot_destinations(ctx, err) || mvm_pol_shutdown_emptied(ctx, err))
    return err->code;
  for (;;) {
    int best = -1;
    double best_d = 0, best_rate = 0;
    for (size_t v = 0; v < sc->nvms; v++) {
      if (mvm_pol_vm(ctx, (int)v) != MVM_VM_WAITING || mvm_pol_node(ctx, sc->vms[v].to) != MVM_NODE_ON)
        continue;
      double rate = mvm_pol_free_rate(ctx, (int)v);
      double d = mvm_pol_predict(ctx, (int)v, rate);
      if (rate < 0.5 * mvm_route_rate(nv, v) || rate <= mvm_pol_min_rate(ctx, (int)v))
        continue;
      if (best < 0 || d < best_d) {
        best = (int)v;
        best_d = d;
        best_rate = rate;
      }
    }
    if (best < 0)
      return 0;
    if (mvm_pol_migrate(ctx, best, best_rate, err))
      return err->code;
  }
}

static const mvm_policy greedy = {MVM_POLICY_ABI, "greedy", "docs/tutorial.md: shortest first at the free rate",
                                  0, NULL, on_event, 0, NULL};

MVM_POLICY_EXPORT const mvm_policy* mvm_policy_entry(void) { return &greedy; }
