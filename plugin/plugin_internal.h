/* Internal state shared by the plugin's files (not installed). */
#ifndef MVM_PLUGIN_INTERNAL_H
#define MVM_PLUGIN_INTERNAL_H

#include "mvm/precopy.h"

#include <simgrid/host.h>

typedef struct mvm_hostrec {
  const_sg_host_t host;
  int index;
  int is_vm;
  mvm_host_state state;
  int nvms;            /* VMs running on it (physical hosts) */
  mvm_workload_t work; /* VMs */
  int has_work;
  double base;         /* current state power, W */
  /* this host's overrides of the global power parameters, from its properties "mvm:idle",
   * "mvm:vm-power", "mvm:boot", "mvm:boot-overhead", "mvm:shutdown"; NAN: the global one */
  double idle, vm_power, boot, boot_overhead, shutdown;
} mvm_hostrec;

/* Record of a host (or VM), created on first use. NULL only when out of memory. */
mvm_hostrec* mvm_rec(const_sg_host_t h);
/* Adds a power change of dw W on host rec from time t on. */
void mvm_power_delta(mvm_hostrec* rec, double t, double dw);
/* A property value in SimGrid's style: a non-negative number and one of units (factors
 * alike, NULL-terminated). Returns 0 if s is NULL, 1 with *out set, -1 if it does not parse. */
int mvm_parse_prop(const char* s, const char* const* units, const double* factors, double* out);
/* Current power parameters. */
const mvm_power_params* mvm_power_params_get(void);
/* A VM left src for dst (updates the VM power of both). */
void mvm_power_vm_moved(mvm_hostrec* src, mvm_hostrec* dst);

#endif
