/* mvm — the C++ bridge: the few S4U features SimGrid 3.32's C API lacks, behind C calls.
 * Every function catches SimGrid's exceptions and reports them as text. */
#ifndef MVM_SGBRIDGE_H
#define MVM_SGBRIDGE_H

#include <simgrid/forward.h>
#include <stddef.h>

#ifndef MVM_PUBLIC
#define MVM_PUBLIC __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Loads a platform file; 0 on success, -1 with the reason in why. */
/* simgrid_init() that reports a bad --cfg/--log (unknown key, bad value) instead of aborting.
 * Returns 0, or -1 with the reason in why. */
MVM_PUBLIC int mvm_sg_init(int* argc, char** argv, char* why, size_t why_len);
/* Loads a platform: 0, -1 (why says what SimGrid refused) or -2 (out of memory). */
MVM_PUBLIC int mvm_sg_load_platform(const char* path, char* why, size_t why_len);

/* Route between two hosts: fills links (caller-provided, capacity max) and sets *count.
 * Returns 0, or -1 with the reason in why (no route, too long). */
MVM_PUBLIC int mvm_sg_route(const_sg_host_t src, const_sg_host_t dst, const_sg_link_t* links, size_t max,
                 size_t* count, char* why, size_t why_len);

/* 1 if the link is FATPIPE (flows do not share it). */
MVM_PUBLIC int mvm_sg_link_is_fatpipe(const_sg_link_t link);

/* Sends bytes from src to dst over the platform's route with a rate cap (bytes/s, <= 0: no
 * cap) and blocks the calling actor until it is received. Returns 0, or -1 if the
 * communication failed (a link or host went down). */
MVM_PUBLIC int mvm_sg_transfer(sg_host_t src, sg_host_t dst, double bytes, double rate);

/* Every host of the loaded platform by name, for lookups in O(1) (SimGrid 3.32's
 * sg_host_by_name walks every netzone). NULL if out of memory; free with
 * mvm_sg_hostmap_free. mvm_sg_hostmap_get returns NULL for an unknown name. */
typedef struct mvm_sg_hostmap mvm_sg_hostmap;
MVM_PUBLIC mvm_sg_hostmap* mvm_sg_hostmap_new(void);
MVM_PUBLIC sg_host_t mvm_sg_hostmap_get(const mvm_sg_hostmap* m, const char* name);
MVM_PUBLIC void mvm_sg_hostmap_free(mvm_sg_hostmap* m);

/* Calls cb once the platform is loaded (SimGrid's on_platform_created signal). */
MVM_PUBLIC void mvm_sg_on_platform_created(void (*cb)(void));

/* Moves a (suspended or running) VM onto another physical host. */
MVM_PUBLIC void mvm_sg_vm_set_pm(sg_vm_t vm, sg_host_t pm);

#ifdef __cplusplus
}
#endif

#endif
