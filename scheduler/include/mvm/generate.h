/* mvm — generators of scaled scenarios. */
#ifndef MVM_GENERATE_H
#define MVM_GENERATE_H

#include "mvm/error.h"

/* The UCC decommissioning shape scaled by n: 2n source racks of 24 servers with 2 VMs
 * each move to n new racks of 24 servers (off at first); 1 Gb/s server links, rack
 * uplinks and core of 10 n Gb/s; VM templates alternate 2000 MB idle, 4000 MB stressed
 * (96 MB hot pages over 2 s, 3 MB/s cold), 2000 MB stressed, 4000 MB idle; sources shut
 * down once empty. Writes DIR/scale-N.xml and DIR/scale-N.platform.xml atomically.

 * The platform: three zones whatever n (a star zone per side, every server linked to the
 * side's switch, and the core between them), so SimGrid 3.32 loads it in time linear in n. */
int mvm_generate_decommission(int n, const char* dir, mvm_error* err);

#endif
