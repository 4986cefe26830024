/* mvm — the scenario: nodes, VMs, workloads, where each VM goes, constraints.
 *
 * Quantities are in base units: bytes, bytes/s, seconds, watts. Indices refer to the
 * arrays of the scenario. A scenario owns all its strings. */
#ifndef MVM_SCENARIO_H
#define MVM_SCENARIO_H

#include "mvm/error.h"

#include <stddef.h>

/* Duration models of a pre-copy migration (see mvm/model.h). */
enum { MVM_PRECOPY_ROUNDS = 0, MVM_PRECOPY_PAPER = 1 };

/* Energy, timing and model parameters; every one can be set in <defaults>. */
typedef struct mvm_defaults {
  double node_idle;      /* W, a node that is on, from power-on to power-off          */
  double vm_power;       /* W per running VM                                          */
  double boot;           /* s, boot duration                                          */
  double shutdown;       /* s, shutdown duration (node at idle power meanwhile)       */
  double boot_overhead;  /* fraction of idle power added while booting                */
  double downtime;       /* s, maximal downtime of a migration                        */
  double mig_alpha;      /* J per MB (1e6 bytes) sent by a migration (Liu et al.)    */
  double mig_beta;       /* J per migration                                           */
  double bw_factor;      /* TCP payload rate / nominal link bandwidth (0.941: 1500-byte
                            Ethernet frames; given to SimGrid as network/bandwidth-factor) */
  double mig_setup;      /* s before a migration's first byte (libvirt + QEMU set-up)  */
  double resend;         /* share of the data dirtied during a pre-copy round that the
                            next round sends again (0.5: pages spread evenly over the
                            round's scan, half of them already behind it)             */
  double lat_factor;     /* a flow's latency / route latency (SimGrid LV08: 13.01)     */
  int precopy_model;     /* MVM_PRECOPY_ROUNDS (default) or MVM_PRECOPY_PAPER         */
} mvm_defaults;

typedef struct mvm_workload {
  char* id;
  double hot_size;     /* bytes of hot pages (HPs)             */
  double hot_duration; /* s to rewrite them all (HPd)         */
  double cold_rate;    /* bytes/s of cold pages after HPd (CPr) */
  int line;
} mvm_workload;

typedef struct mvm_node {
  char* host;         /* platform host id */
  int initially_on;   /* state="on"       */
  int finally_on;     /* final="on"       */
  double memory;      /* bytes, < 0 if unbounded */
  double cores;       /* < 0 if unbounded        */
  int line;           /* 0 if implicit (only named by a VM) */
} mvm_node;

typedef struct mvm_vm {
  char* id;
  double memory; /* bytes allocated */
  double used;   /* bytes used (what pre-copy sends in round 0) */
  double cores;
  int workload; /* index into workloads; -1: idle (5 MB hot pages over 3 s) */
  int from;     /* node index */
  int to;       /* node index; == from if the VM stays */
  int line;
} mvm_vm;

typedef enum {
  MVM_C_SYNC,
  MVM_C_SERIALIZE,
  MVM_C_PRECEDENCE, /* vms[0] ends before vms[1] starts */
  MVM_C_DEADLINE,   /* every vm ends by `at`            */
  MVM_C_POWER       /* power <= max over [from, to)     */
} mvm_constraint_kind;

typedef struct mvm_constraint {
  mvm_constraint_kind kind;
  int* vms;
  size_t nvms;
  double at;   /* deadline */
  double max;  /* power budget, W */
  double from; /* power budget window */
  double to;   /* INFINITY if open */
  int line;
} mvm_constraint;

typedef struct mvm_scenario {
  char* path;          /* scenario file as given */
  char* platform_path; /* resolved relative to the scenario's folder */
  mvm_defaults defaults;
  mvm_workload* workloads;
  size_t nworkloads;
  mvm_node* nodes; /* sorted by host name */
  size_t nnodes;
  mvm_vm* vms; /* sorted by id */
  size_t nvms;
  mvm_constraint* constraints; /* in file order */
  size_t nconstraints;
} mvm_scenario;

/* The defaults used when <defaults> is silent. */
mvm_defaults mvm_defaults_standard(void);

/* Reads and validates (against the embedded XML Schema, then semantically) the scenario at
 * path. On success returns 0 and a new scenario in *out (free with mvm_scenario_free).
 * On error returns MVM_EINPUT (or MVM_ENOMEM) and a message "file:line: object: what". */
int mvm_scenario_read(const char* path, mvm_scenario** out, mvm_error* err);

void mvm_scenario_free(mvm_scenario* sc);

/* Index of the VM / node with that id, or -1. Binary search: arrays are sorted. */
int mvm_scenario_find_vm(const mvm_scenario* sc, const char* id);
int mvm_scenario_find_node(const mvm_scenario* sc, const char* host);

/* Workload parameters of a VM (the idle workload if it has none). */
void mvm_vm_workload(const mvm_scenario* sc, const mvm_vm* vm, double* hot_size,
                     double* hot_duration, double* cold_rate);

/* 1 if the VM moves. */
static inline int mvm_vm_moves(const mvm_vm* vm) { return vm->from != vm->to; }

/* The XML Schema text (embedded at build time). */
extern const char mvm_scenario_xsd[];

#endif
