/* mvm — import of a BtrPlace instance (JSON: an origin model and the plan computed for it,
 * as BtrPlace's JSON converters and the mVM authors' data write it) into mvm's formats: a
 * scenario, a platform and a plan. docs/formats.md gives the mapping. */
#ifndef MVM_IMPORT_H
#define MVM_IMPORT_H

#include "mvm/error.h"
#include "mvm/netview.h"
#include "mvm/plan.h"
#include "mvm/scenario.h"

#include <stddef.h>

/* Largest instance file read (bytes). */
#define MVM_IMPORT_MAX_BYTES (64u << 20)
/* Deepest nesting of arrays and objects accepted (a BtrPlace instance needs 6). */
#define MVM_IMPORT_MAX_DEPTH 32

typedef struct mvm_import {
  char* scenario_xml; /* scenario.xml, with platform="platform.xml" */
  char* platform_xml; /* platform.xml: the given platform's bytes or the generated one */
  mvm_plan* plan;     /* a migrate row's bandwidth is 0 where the instance said bw 0 (no rate
                         limit): mvm_import_fit_bandwidth replaces it */
  size_t nvms, nmigrations, nboots, nshutdowns;
} mvm_import;

/* Reads the BtrPlace instance json_path and converts it. platform_path: a SimGrid platform
 * to copy (its hosts must be named node<K>), or NULL to generate one from the instance's
 * network view (views[] with id "net"). Returns 0 and *out (free with mvm_import_free), or
 * MVM_EINPUT with a message "FILE: $.json.path: what" (MVM_ENOMEM, MVM_EIO). */
int mvm_import_btrplace(const char* json_path, const char* platform_path, mvm_import** out,
                        mvm_error* err);
void mvm_import_free(mvm_import* im);

/* Once the scenario is read and its network view built: gives every migrate row of plan
 * whose bandwidth is 0 (uncapped) or above what its route carries alone
 * (mvm_route_rate) that route rate instead, rounded down to the plan's 1e-6 Mb/s. Counts
 * both kinds in *nuncapped and *nclamped (either may be NULL). Returns 0 or MVM_EINPUT
 * (a migrated VM the scenario does not know). */
int mvm_import_fit_bandwidth(mvm_plan* plan, const mvm_scenario* sc, const mvm_netview* nv,
                             size_t* nuncapped, size_t* nclamped, mvm_error* err);

#endif
