/* mvm — generators of scaled scenarios. */
#ifndef MVM_GENERATE_H
#define MVM_GENERATE_H

#include "mvm/error.h"

#include <stdint.h>

/* The UCC decommissioning shape scaled by n: 2n source racks of 24 servers with 2 VMs
 * each move to n new racks of 24 servers (off at first); 1 Gb/s server links, rack
 * uplinks and core of 10 n Gb/s; VM templates alternate 2000 MB idle, 4000 MB stressed
 * (96 MB hot pages over 2 s, 3 MB/s cold), 2000 MB stressed, 4000 MB idle; sources shut
 * down once empty. Writes DIR/scale-N.xml and DIR/scale-N.platform.xml atomically.

 * The platform: three zones whatever n (a star zone per side, every server linked to the
 * side's switch, and the core between them), so SimGrid 3.32 loads it in time linear in n. */
int mvm_generate_decommission(int n, const char* dir, mvm_error* err);

/* k-ary fat trees (Al-Fares et al.): one SimGrid FAT_TREE cluster of k^3/4 hosts (k pods of
 * (k/2)^2 hosts, (k/2)^2 core switches), every link 1 Gb/s full duplex, and m migrations of
 * the decommission templates above in one of three shapes:
 * - decommission: hosts h0, h1, ... (pod 0 onwards) hold 2 VMs each and are emptied into
 *   hosts from the last one backwards, 4 VMs each, off until booted; sources shut down;
 * - rebalance: a random half of the hosts each give 2 VMs to 2 hosts of the other half;
 * - random: each VM from a random host to another random host (all hosts on).
 * The seed drives the generator's own xorshift (0: a fixed default), so a seed gives the
 * same files everywhere. k even in [4, 64]; m at most the hosts (4/3 of them for
 * decommission). Writes DIR/fat-tree-K-SHAPE.xml and DIR/fat-tree-K.platform.xml, each
 * whole. Returns 0, MVM_EINPUT (bad k or m), MVM_EIO or MVM_ENOMEM. */
typedef enum { MVM_FT_RANDOM, MVM_FT_DECOMMISSION, MVM_FT_REBALANCE } mvm_fattree_shape;
int mvm_generate_fattree(int k, mvm_fattree_shape shape, int m, uint64_t seed, const char* dir, mvm_error* err);
/* "random", "decommission", "rebalance"; parse returns 0 or -1 for an unknown name. */
const char* mvm_fattree_shape_name(mvm_fattree_shape s);
int mvm_fattree_shape_parse(const char* name, mvm_fattree_shape* out);

#endif
