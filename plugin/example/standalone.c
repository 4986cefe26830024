/* The mvm precopy plugin in a plain SimGrid program, without the rest of mvm: the VM's
 * workload and the hosts' power parameters come from <prop> tags of the platform file.
 *
 * Usage: mvm-precopy-example PLATFORM VM SRC DST RATE_MBPS [--cfg=... --log=...]
 *   Creates VM on SRC, reads its workload from SRC's properties "mvm:VM:used",
 *   "mvm:VM:hot-size", "mvm:VM:hot-duration", "mvm:VM:cold-rate", "mvm:VM:downtime",
 *   migrates it to DST with every round capped at RATE_MBPS (megabits/s), and prints the
 *   migration (start, end, rounds, data sent, downtime) and each host's energy.
 * Exit status: 0 migrated, 1 did not converge, 2 bad arguments or workload properties. */
#include <mvm/precopy.h>

#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/vm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct job {
  sg_vm_t vm;
  sg_host_t dst;
  double rate; /* bytes/s */
  mvm_migration_result res;
  int rc;
} job;

static void migrate_actor(int argc, char** argv)
{
  (void)argc;
  (void)argv;
  job* j = sg_actor_self_get_data();
  j->rc = mvm_vm_precopy_migrate(j->vm, j->dst, j->rate, &j->res);
}

int main(int argc, char** argv)
{
  simgrid_init(&argc, argv); /* consumes --cfg= and --log= */
  if (argc != 6) {
    fprintf(stderr, "usage: %s PLATFORM VM SRC DST RATE_MBPS\n", argv[0]);
    return 2;
  }
  mvm_precopy_plugin_init();
  simgrid_load_platform(argv[1]);
  sg_host_t src = sg_host_by_name(argv[3]);
  sg_host_t dst = sg_host_by_name(argv[4]);
  char* end;
  double mbps = strtod(argv[5], &end);
  if (!src || !dst || *end || !(mbps > 0)) {
    fprintf(stderr, "%s: unknown host or bad rate\n", argv[0]);
    return 2;
  }
  job j = {.dst = dst, .rate = mbps * 1e6 / 8};
  j.vm = sg_vm_create_core(src, argv[2]);
  sg_vm_start(j.vm);
  if (mvm_vm_load_workload(j.vm) != 0) {
    fprintf(stderr, "%s: host %s has no valid property mvm:%s:used (or another workload property does not parse)\n",
            argv[0], argv[3], argv[2]);
    sg_vm_destroy(j.vm);
    return 2;
  }
  sg_actor_t a = sg_actor_init("migrate", src);
  sg_actor_set_data(a, &j);
  sg_actor_start(a, migrate_actor, 0, NULL);
  simgrid_run();

  const mvm_migration_result* r = &j.res;
  printf("migration vm=%s start_s=%.6f end_s=%.6f rounds=%d data_mb=%.6f downtime_s=%.6f converged=%d energy_j=%.6f\n",
         argv[2], r->start, r->end, r->rounds, r->bytes_sent / 1e6, r->downtime, r->converged, r->energy);
  printf("vm_now_on=%s\n", sg_host_get_name(sg_vm_get_pm(j.vm)));
  const char* names[] = {argv[3], argv[4]};
  for (int i = 0; i < 2; i++)
    printf("host %s energy_j=%.6f\n", names[i], mvm_host_energy(sg_host_by_name(names[i])));
  printf("total energy_j=%.6f\n", mvm_total_energy());
  sg_vm_destroy(j.vm);
  return j.rc == 0 ? 0 : 1;
}
