/* The mvm precopy plugin's entry point (mvm_precopy_plugin_init, as SimGrid's plugins have
 * one) and its root log category `mvm` (children: mvm_precopy, mvm_power; --log=mvm.thres:debug). */
#include "plugin_internal.h"
#include "sgbridge.h"

#include <stdlib.h>
#include <string.h>
#include <xbt/log.h>
#include <xbt/sysdep.h>

XBT_LOG_NEW_CATEGORY(mvm, "mvm: live-migration plugin for SimGrid");
XBT_LOG_NEW_DEFAULT_SUBCATEGORY(mvm_plugin, mvm, "mvm plugin: initialisation");

/* Every physical host draws power from time 0 (on, unless the program sets another state
 * before the simulation starts), even one the program never touches. Hosts in name order
 * (SimGrid's order is not the file's). */
static int cmp_host_name(const void* a, const void* b)
{
  return strcmp(sg_host_get_name(*(const sg_host_t*)a), sg_host_get_name(*(const sg_host_t*)b));
}

static void register_hosts(void)
{
  size_t n = sg_host_count();
  sg_host_t* hosts = sg_host_list();
  if (!hosts)
    return;
  qsort(hosts, n, sizeof *hosts, cmp_host_name);
  for (size_t i = 0; i < n; i++)
    mvm_host_set_state(hosts[i], MVM_HOST_ON);
  xbt_free(hosts);
}

void mvm_precopy_plugin_init(void)
{
  static int done;
  if (!done)
    mvm__sg_on_platform_created(register_hosts);
  done = 1;
  XBT_DEBUG("mvm precopy plugin initialised");
}
