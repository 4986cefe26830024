/* mvm — adapter from a SimGrid platform to the scheduler's network view.
 * This is the only part of the scheduler library that links SimGrid. */
#ifndef MVM_PLATFORM_H
#define MVM_PLATFORM_H

#include "mvm/netview.h"
#include "mvm/scenario.h"

/* Starts SimGrid (once per process) with the given command-line options (--cfg=, --log=;
 * argv is modified as simgrid_init does) and loads the scenario's platform file.
 * Returns 0, or MVM_EINPUT with "platform-file: what" if it cannot be loaded. */
int mvm_platform_load(const mvm_scenario* sc, int* argc, char** argv, mvm_error* err);

/* Reads a SimGrid platform file with libxml2 (no network, no DTD loaded, no entity) and
 * refuses, before SimGrid sees it, what SimGrid 3.32 aborts or crashes on: elements nested
 * more than 64 deep, a DTD internal subset, a speed (each pstate) or bandwidth not > 0 and
 * finite, a latency not >= 0 and finite, a core count not a whole number >= 1. Returns 0,
 * or MVM_EINPUT with "file:line: element 'id': attribute: what". */
int mvm_platform_check(const char* path, mvm_error* err);

/* Builds the network view of a loaded platform for the scenario: checks that every host
 * exists, reads each migrating VM's route, and fills node capacities the scenario leaves
 * unset from the platform (host property "memory", core count). On error returns
 * MVM_EINPUT naming the scenario line and the host or VM. */
int mvm_netview_build(mvm_scenario* sc, mvm_netview** out, mvm_error* err);

#endif
