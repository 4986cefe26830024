/* mvm info: what mvm understood of a scenario. */
#include "cli.h"
#include "mvm/model.h"

#include <math.h>
#include <stdio.h>

int cmd_info(int argc, char** argv)
{
  cli_args a;
  int st = cli_begin("info", NULL, argc, argv, 1, "one scenario file", &a);
  if (st >= 0)
    return st;
  mvm_error err = {0};
  mvm_scenario* sc;
  mvm_netview* nv;
  if (cli_load(a.pos[0], a.sgargv, &a.sgargc, &sc, &nv, &err))
    return cli_fail(&err);
  const mvm_defaults* d = &sc->defaults;
  printf("scenario %s\nplatform %s\n", sc->path, sc->platform_path);
  printf("defaults: node idle %.1f W, VM %.1f W, boot %.1f s (+%.0f%%), shutdown %.1f s, downtime %.3f s,\n"
         "          migration energy %.3f J/MB + %.3f J, bandwidth factor %.3f, latency factor %.2f,\n"
         "          acknowledgements on the route back: %s,\n",
         d->node_idle, d->vm_power, d->boot, d->boot_overhead * 100, d->shutdown, d->downtime, d->mig_alpha,
         d->mig_beta, nv->bw_factor, d->lat_factor,
         nv->ack_factor > 0 ? "5 % of each flow (network/crosstraffic on)" : "none (network/crosstraffic off)");
  if (d->precopy_model == MVM_PRECOPY_PAPER)
    printf("          pre-copy model: paper (the seed's closed form)\n");
  else
    printf("          pre-copy model: rounds, set-up %.2f s, %.0f%% of the dirtied data resent\n", d->mig_setup,
           d->resend * 100);
  printf("\nnodes (%zu):\n", sc->nnodes);
  for (size_t i = 0; i < sc->nnodes; i++) {
    const mvm_node* n = &sc->nodes[i];
    printf("  %-16s %-3s -> %-3s", n->host, n->initially_on ? "on" : "off", n->finally_on ? "on" : "off");
    if (n->memory >= 0)
      printf("  memory %.0f MiB", n->memory / 1048576.0);
    if (n->cores >= 0)
      printf("  cores %.0f", n->cores);
    printf("\n");
  }
  printf("\nworkloads (%zu):\n", sc->nworkloads);
  for (size_t i = 0; i < sc->nworkloads; i++) {
    const mvm_workload* w = &sc->workloads[i];
    printf("  %-16s hot %.1f MB over %.2f s, cold %.2f MB/s\n", w->id, w->hot_size / 1e6, w->hot_duration,
           w->cold_rate / 1e6);
  }
  printf("\nvms (%zu):\n", sc->nvms);
  size_t nmig = 0;
  for (size_t v = 0; v < sc->nvms; v++) {
    const mvm_vm* vm = &sc->vms[v];
    printf("  %-10s %7.0f MB used of %7.0f MB, %-10s %s -> %s\n", vm->id, vm->used / 1e6, vm->memory / 1e6,
           vm->workload >= 0 ? sc->workloads[vm->workload].id : "idle", sc->nodes[vm->from].host,
           sc->nodes[vm->to].host);
    nmig += mvm_vm_moves(vm);
  }
  printf("\nmigrations (%zu): route, bottleneck, predicted duration alone on the network\n", nmig);
  for (size_t v = 0; v < sc->nvms; v++) {
    const mvm_vm* vm = &sc->vms[v];
    if (!mvm_vm_moves(vm))
      continue;
    const mvm_route* r = &nv->routes[v];
    printf("  %s: ", vm->id);
    for (size_t k = 0; k < r->count; k++)
      printf("%s%s", k ? " > " : "", nv->elems[nv->route_elems[r->first + k]].name);
    if (r->ack_count) {
      printf("\n      acknowledgements (%.0f %% of the rate) back: ", 100 * nv->ack_factor);
      for (size_t k = 0; k < r->ack_count; k++)
        printf("%s%s", k ? " > " : "", nv->elems[nv->ack_elems[r->ack_first + k]].name);
    }
    mvm_precopy_params p;
    mvm_vm_precopy(sc, nv, v, &p);
    double rate = mvm_route_rate(nv, v);
    double dur = mvm_precopy_duration(&p, rate);
    printf("\n      bottleneck %.1f Mb/s nominal, %.1f Mb/s effective; ", r->bottleneck * 8 / 1e6, rate * 8 / 1e6);
    if (isfinite(dur))
      printf("mVM model %.2f s, BtrPlace model %.2f s\n", dur, mvm_naive_duration(vm->memory, rate));
    else
      printf("never converges (dirtying %.1f Mb/s >= %.1f Mb/s)\n", mvm_precopy_limit(&p) * 8 / 1e6,
             rate * 8 / 1e6);
  }
  mvm_netview_free(nv);
  mvm_scenario_free(sc);
  return 0;
}
