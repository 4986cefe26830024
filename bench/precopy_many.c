/* Many concurrent live migrations on one SimGrid platform, with the mvm pre-copy plugin or
 * with SimGrid's own live-migration plugin (sg_vm_migrate), for speed and for comparison.
 *
 *   precopy_many [--engine mvm|builtin] [--migrations K] [--fan-in F] [--rate MBPS]
 *                [--link MBPS] [--workload idle|stressed|mix] [--downtime S] [--per-vm]
 *
 * The platform (written to a temporary file) is one cluster of K + ceil(K/F) hosts, each
 * behind its own SPLITDUPLEX link of --link Mb/s (1000), without backbone. Migration
 * i moves vm-i from host i to host K + i/F, all starting at time 0, each capped at --rate
 * Mb/s (default: the link). F = 1 gives disjoint paths; F > 1 makes F migrations share the
 * destination's link. Workloads follow the UCC templates of `mvm generate`: idle 2000 MB;
 * stressed 4000 MB with 96 MB of hot pages dirtied over 2 s and 3 MB/s of cold pages;
 * "mix" alternates idle 2000, stressed 4000, stressed 2000, idle 4000 MB.
 *
 * mvm engine: mvm_vm_precopy_migrate (two-phase hot/cold dirtying, rounds on SimGrid comms).
 * builtin engine: sg_vm_migrate; its VMs dirty memory in proportion to the flops they
 * compute (intensity x migration speed bytes per second of full-speed computation, up to
 * the working set), so a stressed VM runs an endless computation, its working set is the
 * hot-page size and its intensity the hot-page rate over the migration speed; cold pages
 * have no equivalent there. Its target downtime is fixed at 30 ms (no C setter in 3.32),
 * so --downtime defaults to 0.03 for both engines.
 *
 * Prints one line of key=value figures: wall time of the simulation, simulated end, mean
 * and max migration duration, rounds (mvm engine) and data sent. --per-vm adds one line per
 * migration. Everything on stdout is deterministic except the wall times. */
#include "mvm/precopy.h"

#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/plugins/live_migration.h>
#include <simgrid/vm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct job {
  sg_vm_t vm;
  sg_host_t dst;
  double rate; /* bytes/s */
  int builtin;
  mvm_migration_result res; /* mvm engine; start/end also filled for builtin */
} job;

static double now_wall(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void migrate_actor(int argc, char** argv)
{
  (void)argc;
  (void)argv;
  job* j = sg_actor_self_get_data();
  if (j->builtin) {
    j->res.start = simgrid_get_clock();
    sg_vm_migrate(j->vm, j->dst);
    j->res.end = simgrid_get_clock();
    j->res.converged = 1;
  } else {
    mvm_vm_precopy_migrate(j->vm, j->dst, j->rate, &j->res);
  }
}

/* Keeps a builtin-engine VM's CPU busy (its dirty pages follow the flops it computes). */
static void busy_actor(int argc, char** argv)
{
  (void)argc;
  (void)argv;
  sg_actor_daemonize(sg_actor_self());
  for (;;)
    sg_actor_execute(1e15);
}

static int usage(const char* why)
{
  fprintf(stderr,
          "precopy_many: %s\nusage: precopy_many [--engine mvm|builtin] [--migrations K] [--fan-in F] "
          "[--rate MBPS] [--link MBPS] [--workload idle|stressed|mix] [--downtime S] [--per-vm]\n",
          why);
  return 2;
}

static int num_arg(int argc, char** argv, int* i, double lo, double* out)
{
  if (*i + 1 >= argc)
    return -1;
  char* end;
  double v = strtod(argv[++*i], &end);
  if (*end || !(v >= lo) || !isfinite(v))
    return -1;
  *out = v;
  return 0;
}

int main(int argc, char** argv)
{
  double k = 1000, fan = 1, rate_mbps = 0, link_mbps = 1000, downtime = 0.03;
  int builtin = 0, per_vm = 0;
  const char* workload = "mix";
  int sgargc = 1;
  char** sgargv = calloc((size_t)argc + 1, sizeof(char*));
  if (!sgargv)
    return 1;
  sgargv[0] = argv[0];
  for (int i = 1; i < argc; i++) {
    const char* a = argv[i];
    int bad = 0;
    if (!strcmp(a, "--engine") && i + 1 < argc) {
      a = argv[++i];
      builtin = !strcmp(a, "builtin");
      bad = !builtin && strcmp(a, "mvm");
    } else if (!strcmp(a, "--migrations"))
      bad = num_arg(argc, argv, &i, 1, &k) || k != floor(k);
    else if (!strcmp(a, "--fan-in"))
      bad = num_arg(argc, argv, &i, 1, &fan) || fan != floor(fan);
    else if (!strcmp(a, "--rate"))
      bad = num_arg(argc, argv, &i, 1e-3, &rate_mbps);
    else if (!strcmp(a, "--link"))
      bad = num_arg(argc, argv, &i, 1e-3, &link_mbps);
    else if (!strcmp(a, "--downtime"))
      bad = num_arg(argc, argv, &i, 1e-6, &downtime);
    else if (!strcmp(a, "--workload") && i + 1 < argc) {
      workload = argv[++i];
      bad = strcmp(workload, "idle") && strcmp(workload, "stressed") && strcmp(workload, "mix");
    } else if (!strcmp(a, "--per-vm"))
      per_vm = 1;
    else if (!strncmp(a, "--cfg=", 6) || !strncmp(a, "--log=", 6))
      sgargv[sgargc++] = argv[i];
    else
      bad = 1;
    if (bad) {
      free(sgargv);
      return usage(a);
    }
  }
  if (rate_mbps <= 0)
    rate_mbps = link_mbps;
  size_t nm = (size_t)k, nf = (size_t)fan, nd = (nm + nf - 1) / nf;

  char path[] = "/tmp/precopy_many-XXXXXX.xml";
  int fd = mkstemps(path, 4);
  if (fd < 0) {
    perror("precopy_many: temporary platform");
    free(sgargv);
    return 1;
  }
  FILE* f = fdopen(fd, "w");
  if (!f) {
    close(fd);
    unlink(path);
    free(sgargv);
    return 1;
  }
  fprintf(f,
          "<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
          "<platform version=\"4.1\">\n"
          "  <cluster id=\"c\" prefix=\"h\" suffix=\"\" radical=\"0-%zu\" speed=\"1Gf\" bw=\"%.6fMbps\" "
          "lat=\"50us\" sharing_policy=\"SPLITDUPLEX\"/>\n</platform>\n",
          nm + nd - 1, link_mbps);
  if (fclose(f) != 0) {
    unlink(path);
    free(sgargv);
    return 1;
  }

  double wall0 = now_wall();
  simgrid_init(&sgargc, sgargv);
  if (builtin)
    sg_vm_live_migration_plugin_init();
  else
    mvm_precopy_plugin_init();
  simgrid_load_platform(path);
  unlink(path);
  double wall_load = now_wall() - wall0;

  job* jobs = calloc(nm, sizeof(job));
  if (!jobs) {
    free(sgargv);
    return 1;
  }
  char name[64];
  for (size_t i = 0; i < nm; i++) {
    int tmpl = !strcmp(workload, "idle") ? 0 : !strcmp(workload, "stressed") ? 1 : (int)(i % 4);
    int stressed = tmpl == 1 || tmpl == 2;
    double used = (tmpl == 0 || tmpl == 2) ? 2000e6 : 4000e6;
    snprintf(name, sizeof name, "h%zu", i);
    sg_host_t src = sg_host_by_name(name);
    snprintf(name, sizeof name, "h%zu", nm + i / nf);
    jobs[i].dst = sg_host_by_name(name);
    jobs[i].rate = rate_mbps * 1e6 / 8;
    jobs[i].builtin = builtin;
    snprintf(name, sizeof name, "vm-%zu", i);
    jobs[i].vm = sg_vm_create_core(src, name);
    if (builtin) {
      sg_vm_set_ramsize(jobs[i].vm, (size_t)used);
      sg_vm_set_migration_speed(jobs[i].vm, jobs[i].rate);
      sg_vm_set_working_set_memory(jobs[i].vm, stressed ? (sg_size_t)96e6 : 0);
      sg_vm_set_dirty_page_intensity(jobs[i].vm, stressed ? (96e6 / 2.0) / jobs[i].rate : 0);
    }
    sg_vm_start(jobs[i].vm);
    if (builtin && stressed) {
      sg_actor_t b = sg_actor_init(name, (sg_host_t)jobs[i].vm);
      sg_actor_start(b, busy_actor, 0, NULL);
    }
    if (!builtin) {
      mvm_workload_t w = {used, stressed ? 96e6 : 0, stressed ? 2.0 : 0, stressed ? 3e6 : 0, downtime};
      mvm_vm_set_workload(jobs[i].vm, &w);
    }
    sg_actor_t a = sg_actor_init(name, src);
    sg_actor_set_data(a, &jobs[i]);
    sg_actor_start(a, migrate_actor, 0, NULL);
  }
  double wall1 = now_wall();
  simgrid_run();
  double wall_run = now_wall() - wall1;

  double end = 0, sum = 0, maxd = 0, bytes = 0;
  long rounds = 0;
  int maxr = 0, unconverged = 0;
  for (size_t i = 0; i < nm; i++) {
    const mvm_migration_result* r = &jobs[i].res;
    double d = r->end - r->start;
    end = fmax(end, r->end);
    sum += d;
    maxd = fmax(maxd, d);
    rounds += r->rounds;
    maxr = r->rounds > maxr ? r->rounds : maxr;
    bytes += r->bytes_sent;
    unconverged += !r->converged;
    if (per_vm)
      printf("vm=vm-%zu start=%.6f end=%.6f duration=%.6f rounds=%d sent_MB=%.3f downtime=%.6f\n", i, r->start,
             r->end, d, r->rounds, r->bytes_sent / 1e6, r->downtime);
  }
  printf("engine=%s migrations=%zu fan_in=%zu workload=%s rate_Mbps=%g wall_load_s=%.3f wall_run_s=%.3f "
         "sim_end_s=%.6f mean_duration_s=%.6f max_duration_s=%.6f",
         builtin ? "builtin" : "mvm", nm, nf, workload, rate_mbps, wall_load, wall_run, end, sum / (double)nm, maxd);
  if (!builtin)
    printf(" rounds=%ld max_rounds=%d sent_GB=%.3f unconverged=%d", rounds, maxr, bytes / 1e9, unconverged);
  printf("\n");
  for (size_t i = 0; i < nm; i++)
    sg_vm_destroy(jobs[i].vm);
  free(jobs);
  free(sgargv);
  return 0;
}
