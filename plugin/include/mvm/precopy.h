/* mvm precopy plugin — iterative pre-copy live migration for SimGrid, with the two-phase
 * (hot/cold) dirty-page model, a rate cap per migration, host power states (off, booting,
 * on, shutting down) and migration energy.
 *
 * Usage from any SimGrid program (C API):
 *   simgrid_init(&argc, argv);
 *   mvm_precopy_plugin_init();          before loading the platform
 *   simgrid_load_platform("platform.xml");
 *   sg_vm_t vm = sg_vm_create_core(host, "vm0"); sg_vm_start(vm);
 *   mvm_vm_set_workload(vm, &(mvm_workload_t){...});  or mvm_vm_load_workload(vm)
 *   ... in an actor: mvm_vm_precopy_migrate(vm, dst, rate, &result);
 *
 * Model (what the simulation does, round by round):
 *   round 0 sends the used memory; every next round sends what was dirtied while the
 *   previous round was in flight: over an interval of length L the VM dirties
 *   min(HPs, HPr L) of hot pages plus CPr max(0, L - HPd) of cold pages (HPr = HPs/HPd).
 *   Each round is one SimGrid communication from the source to the destination host over
 *   the platform's route, capped at the migration's rate and sharing links with every
 *   other flow. When the dirty data could be sent within the downtime at the rate the
 *   last round actually achieved, the VM is suspended, the rest is sent, and the VM
 *   resumes on the destination. A migration that has not converged after max_rounds
 *   rounds or max_time seconds either fails (the VM stays on its source) or is forced
 *   into stop-and-copy, as configured.
 * Energy: Liu et al. (HPDC 2011), E = alpha V + beta with V the MB actually sent, charged
 *   to the source host, spread over the migration in proportion to each round's data.
 * Power of a host: 0 when off; idle x (1 + boot_overhead) while booting; idle while on or
 *   shutting down, plus vm_power per VM it runs, plus its migrations' power.
 *
 * Settings (defaults): per-VM workload from mvm_vm_set_workload or host properties
 *   "mvm:VMNAME:used", ":hot-size", ":hot-duration", ":cold-rate", ":downtime" (the idle
 *   workload and 30 ms if absent, mvm/calibration.h); power parameters from
 *   mvm_power_set_params (all hosts; the calibrated ones by default), overridden per host by
 *   its properties "mvm:idle", "mvm:vm-power", "mvm:boot", "mvm:shutdown",
 *   "mvm:boot-overhead", read when the plugin first sees the host. Every value is a quantity
 *   with its unit, read by the scenario reader's parser (mvm/units.h: "24Mbps", "3MB/s",
 *   "0.2kW", "30ms", "20%"; no hex, no bare numbers). A property that does not parse is
 *   reported (log category mvm_power, under mvm) and ignored.
 * Per-host state lives in SimGrid host extensions, freed with the hosts; log categories
 *   mvm > mvm_precopy, mvm_power. plugin/example/standalone.c is a whole program that uses
 *   nothing else. */
#ifndef MVM_PRECOPY_H
#define MVM_PRECOPY_H

#include <simgrid/forward.h>
#include <stddef.h>

#ifndef MVM_PUBLIC
#define MVM_PUBLIC __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mvm_workload_t {
  double used;         /* bytes sent in round 0 */
  double hot_size;     /* bytes (HPs) */
  double hot_duration; /* s (HPd) */
  double cold_rate;    /* bytes/s (CPr) */
  double downtime;     /* s, target downtime */
} mvm_workload_t;

typedef enum { MVM_ON_STALL_FAIL, MVM_ON_STALL_FORCE } mvm_stall_policy;

/* How the migration stack behaves (QEMU and libvirt); start from mvm_precopy_defaults(). */
typedef struct mvm_precopy_limits {
  int max_rounds;        /* rounds before it stalls; default 64 */
  double max_time;       /* s of pre-copy before it stalls (libvirt's --timeout); default 3600 */
  mvm_stall_policy on_stall; /* default MVM_ON_STALL_FORCE: suspend, stop-and-copy (libvirt) */
  double setup;          /* s before the first byte (libvirt and QEMU set-up); default 0 */
  double resend;         /* share of the data dirtied during a round that the next round
                            sends again; default 1 */
  double throttle_initial;   /* QEMU auto-converge: first vCPU throttle (0.2), 0 = off (default) */
  double throttle_increment; /* ... added each round it still does not converge (0.1) */
  int postcopy_after;    /* switch to post-copy after this many rounds; 0 = never (default) */
} mvm_precopy_limits;

/* The defaults above. */
MVM_PUBLIC mvm_precopy_limits mvm_precopy_defaults(void);

typedef struct mvm_migration_result {
  double start, end;   /* s */
  double bytes_sent;
  double downtime;     /* s, suspended time */
  int rounds;          /* including the stop-and-copy */
  int converged;       /* 0 if it hit a limit */
  int failed;          /* 1 if it hit a limit under MVM_ON_STALL_FAIL (VM stayed) */
  int postcopy;        /* 1 if it ended in post-copy */
  double throttle;     /* auto-converge: the vCPU throttle reached (0 if none) */
  double energy;       /* J */
} mvm_migration_result;

typedef struct mvm_power_params {
  double idle, vm_power, boot, boot_overhead, shutdown; /* W, W, s, fraction, s */
  double alpha, beta;                                   /* J/MB, J */
} mvm_power_params;

typedef enum { MVM_HOST_OFF, MVM_HOST_BOOTING, MVM_HOST_ON, MVM_HOST_SHUTTING_DOWN } mvm_host_state;

/* One change of a host's power draw: from `time` on, the host draws `watts`. */
typedef struct mvm_power_sample {
  double time;
  int host; /* index in the plugin's host table (mvm_power_host_name) */
  double watts;
} mvm_power_sample;

/* Registers the plugin. Call after simgrid_init and before loading the platform. */
MVM_PUBLIC void mvm_precopy_plugin_init(void);

MVM_PUBLIC void mvm_precopy_set_limits(const mvm_precopy_limits* l);
MVM_PUBLIC void mvm_power_set_params(const mvm_power_params* p);

/* Gives a VM its workload. Returns 0. */
MVM_PUBLIC int mvm_vm_set_workload(sg_vm_t vm, const mvm_workload_t* w);
/* Reads the workload from the host properties (see above). Returns 0, or -1 if "used"
 * is missing or a value does not parse. */
MVM_PUBLIC int mvm_vm_load_workload(sg_vm_t vm);

/* Migrates vm to dst, capping every round at rate bytes/s (<= 0: uncapped). Must be
 * called from an actor; blocks it until the migration ends. Returns 0 if the VM now runs
 * on dst, -1 if it failed (result->failed, VM still on its source). */
MVM_PUBLIC int mvm_vm_precopy_migrate(sg_vm_t vm, sg_host_t dst, double rate, mvm_migration_result* result);

/* Called at the end of every transfer of a migration (a pre-copy round, the stop-and-copy,
 * post-copy's device state and its pulled pages), from the migrating actor: the VM, its
 * source and destination, when the transfer started and ended (simulated s) and the bytes it
 * carried. For traces and statistics; NULL (the default) removes it. */
typedef void (*mvm_precopy_round_cb)(sg_vm_t vm, sg_host_t src, sg_host_t dst, double start, double end, double bytes,
                                     void* data);
MVM_PUBLIC void mvm_precopy_set_round_callback(mvm_precopy_round_cb cb, void* data);

/* Host states. Set the initial state before the simulation starts; boot and shutdown
 * block the calling actor for the boot/shutdown duration. */
MVM_PUBLIC void mvm_host_set_state(sg_host_t host, mvm_host_state state);
MVM_PUBLIC void mvm_host_boot(sg_host_t host);
MVM_PUBLIC void mvm_host_shutdown(sg_host_t host);
/* The same without an actor: how long host boots (during = MVM_HOST_BOOTING) or shuts down
 * (MVM_HOST_SHUTTING_DOWN), s. The caller sets the state `during` now and MVM_HOST_ON or
 * MVM_HOST_OFF that long after (e.g. from a timer), as mvm_host_boot and mvm_host_shutdown do. */
MVM_PUBLIC double mvm_host_transition_time(const_sg_host_t host, mvm_host_state during);

/* Energy (J) a host consumed from 0 to now, and the total of all hosts. */
MVM_PUBLIC double mvm_host_energy(const_sg_host_t host);
MVM_PUBLIC double mvm_total_energy(void);
/* Every power change so far, in time order (stable); valid until the next call. */
MVM_PUBLIC const mvm_power_sample* mvm_power_samples(size_t* n);
MVM_PUBLIC const char* mvm_power_host_name(int host);
MVM_PUBLIC size_t mvm_power_host_count(void);

#ifdef __cplusplus
}
#endif

#endif
