/* mvm — the SimGrid bridge (internal, not installed): the few S4U features SimGrid 3.32's C
 * API lacks, behind C calls. Linked, as a static library, into the plugin, the scheduler's
 * network-view adapter and the replay; its symbols stay hidden inside each of them.
 * Every function catches SimGrid's exceptions: none crosses into C. */
#ifndef MVM_SGBRIDGE_H
#define MVM_SGBRIDGE_H

#include <simgrid/forward.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* simgrid_init() that reports a bad --cfg/--log (unknown key, bad value) instead of aborting.
 * Returns 0, or -1 with the reason in why. */
int mvm__sg_init(int* argc, char** argv, char* why, size_t why_len);
/* Loads a platform: 0, -1 (why says what SimGrid refused) or -2 (out of memory). */
int mvm__sg_load_platform(const char* path, char* why, size_t why_len);

/* Route between two hosts: fills links (caller-provided, capacity max) and sets *count.
 * Returns 0, or -1 with the reason in why (no route, too long). */
int mvm__sg_route(const_sg_host_t src, const_sg_host_t dst, const_sg_link_t* links, size_t max, size_t* count,
                  char* why, size_t why_len);

/* 1 if the link is FATPIPE (flows do not share it). */
int mvm__sg_link_is_fatpipe(const_sg_link_t link);
/* The link's sharing policy: FATPIPE, SHARED (SHARED, or one direction of a SPLITDUPLEX
 * link) or OTHER (WIFI, NONLINEAR). */
enum { MVM__SG_FATPIPE, MVM__SG_SHARED, MVM__SG_OTHER };
int mvm__sg_link_policy(const_sg_link_t link);
/* Makes the link's max-min constraint one that never saturates (NONLINEAR, with a dynamic
 * bound of 1e300 B/s), its bandwidth and latency unchanged: for a FATPIPE link that can
 * never limit a flow (validation/fatpipe.c says when). 0, or -1 if SimGrid refused. */
int mvm__sg_link_set_unbounded(sg_link_t link);

/* A migration's channel: its own mailbox and one receiver actor on the destination (a
 * daemon, so it never holds the simulation up), for every round of the migration; SimGrid
 * 3.32 only caps a comm's rate on the mailbox path. mvm__sg_channel_open returns NULL if
 * out of memory; mvm__sg_channel_send sends bytes to dst with the rate cap (bytes/s, <= 0:
 * none) and blocks the calling actor (on the source) until they are received: 0, or -1 if
 * the communication failed; `last` says that no transfer follows (the receiver then ends);
 * mvm__sg_channel_close frees the channel (and ends a receiver still waiting, with an empty
 * message it does not wait for). */
typedef struct mvm__sg_channel mvm__sg_channel;
mvm__sg_channel* mvm__sg_channel_open(sg_host_t dst, double rate);
int mvm__sg_channel_send(mvm__sg_channel* ch, double bytes, int last);
void mvm__sg_channel_close(mvm__sg_channel* ch);

/* Every host of the loaded platform by name, for lookups in O(1) (SimGrid 3.32's
 * sg_host_by_name walks every netzone). NULL if out of memory; the caller owns it and frees
 * it with mvm__sg_hostmap_free. mvm__sg_hostmap_get returns NULL for an unknown name. */
typedef struct mvm__sg_hostmap mvm__sg_hostmap;
mvm__sg_hostmap* mvm__sg_hostmap_new(void);
sg_host_t mvm__sg_hostmap_get(const mvm__sg_hostmap* m, const char* name);
void mvm__sg_hostmap_free(mvm__sg_hostmap* m);

/* Calls cb once the platform is loaded (SimGrid's on_platform_created signal). */
void mvm__sg_on_platform_created(void (*cb)(void));

/* Host extensions (SimGrid's per-host data slots; the C API can create one and read it, not
 * set it). mvm__sg_host_extension_set gives host the value for extension `rank` (from
 * sg_host_extension_create): SimGrid owns it from then on and calls the extension's deleter
 * on it when the host is destroyed. */
void mvm__sg_host_extension_set(sg_host_t host, size_t rank, void* value);

/* 1 if SimGrid option key still has its default value (not set with --cfg), else 0. */
int mvm__sg_cfg_is_default(const char* key);

/* Calls cb(data) at simulated time date, from SimGrid's maestro (no actor): it may change
 * host states, release semaphores and start actors. 0, or -1 if out of memory. */
int mvm__sg_timer_at(double date, void (*cb)(void*), void* data);

/* Moves a (suspended or running) VM onto another physical host. */
void mvm__sg_vm_set_pm(sg_vm_t vm, sg_host_t pm);

#ifdef __cplusplus
}
#endif

#endif
