/* mvm plugin — what its files share (not installed; every symbol mvm__, hidden in the
 * library). */
#ifndef MVM_PLUGIN_INTERNAL_H
#define MVM_PLUGIN_INTERNAL_H

#include "mvm/precopy.h"

#include <simgrid/host.h>
#include <xbt/log.h>
#include <stddef.h>

/* The plugin's state of one host (or VM), kept in a SimGrid host extension: created when
 * the plugin first meets the host (every physical host once the platform is loaded, a VM
 * when it gets its workload), freed by SimGrid when the host is destroyed. */
typedef struct mvm__hostrec {
  const_sg_host_t host;
  int index;           /* in the plugin's host table (power samples) */
  int is_vm;
  mvm_host_state state;
  int nvms;            /* VMs running on it (physical hosts) */
  mvm_workload_t work; /* VMs */
  int has_work;
  double base;         /* current state power, W */
  /* this host's overrides of the global power parameters, from its properties "mvm:idle",
   * "mvm:vm-power", "mvm:boot", "mvm:boot-overhead", "mvm:shutdown"; NAN: the global one */
  double idle, vm_power, boot, boot_overhead, shutdown;
} mvm__hostrec;

/* host.c: the record of a host, created on first use; NULL only when out of memory. */
mvm__hostrec* mvm__rec(const_sg_host_t h);
/* Records ever created (indices 0 .. count-1), and the host of one (NULL once destroyed). */
size_t mvm__rec_count(void);
const_sg_host_t mvm__rec_host(int index);

/* power.c: adds a power change of dw W on host rec from time t on. */
void mvm__power_delta(mvm__hostrec* rec, double t, double dw);
/* Current global power parameters (the calibrated ones until mvm_power_set_params). */
const mvm_power_params* mvm__power_params(void);
/* A VM left src for dst (updates the VM power of both). */
void mvm__power_vm_moved(mvm__hostrec* src, mvm__hostrec* dst);
/* Frees the power log (every host record is gone: the simulation is over). */
void mvm__power_forget(void);

XBT_LOG_EXTERNAL_CATEGORY(mvm);

#endif
