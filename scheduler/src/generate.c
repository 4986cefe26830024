#include "mvm/generate.h"
#include "mvm/io.h"

#include <stdio.h>

#define SERVERS_PER_RACK 24
#define VMS_PER_SERVER 2

/* Two sides (old racks, new racks), each one SimGrid star zone (routing="Cluster": every
 * host has its own link to the zone's centre) whose gateway is a switch host reached through
 * the side's backbone; the core link joins the sides. SimGrid 3.32 checks every new link's
 * name against every zone (links x zones, quadratic when each rack is a zone: 35 s at scale
 * 1000), so the racks are not zones: the file has 3 zones whatever N, and loads in time
 * linear in N (0.7 s for 72,000 hosts). Routes are symmetrical: SimGrid sends the
 * acknowledgements (network/crosstraffic) back along the reverse route, which flips the
 * SPLITDUPLEX directions. A flow from an old to a new server: server link UP (50 us), old
 * backbone (FATPIPE, 5 us), old uplinks (FATPIPE 10N Gb/s, 10 us), core UP (10N Gb/s, 10 us),
 * new uplinks, new backbone, server link DOWN: the links, capacities and latencies, in the
 * same order, of the earlier one-zone-per-rack file, except that the rack uplinks (10N Gb/s
 * each, as much as the core that every flow through them also crosses: never the binding
 * constraint) are one FATPIPE per side. Server links keep the names SimGrid gave them in
 * the per-rack clusters (rack-sR_link_S). */
static void side(FILE* fp, const char* side, const char* p, int racks, int n)
{
  fprintf(fp,
          "  <zone id=\"%s\" routing=\"Cluster\">\n"
          "    <link id=\"%s-backbone\" bandwidth=\"100Gbps\" latency=\"5us\" sharing_policy=\"FATPIPE\"/>\n"
          "    <host id=\"%s-switch\" speed=\"1Gf\"/>\n"
          "    <host_link id=\"%s-switch\" up=\"%s-backbone\" down=\"%s-backbone\"/>\n",
          side, side, side, side, side, side);
  for (int r = 0; r < racks; r++)
    for (int s = 0; s < SERVERS_PER_RACK; s++)
      fprintf(fp,
              "    <host id=\"%s%d-%d\" speed=\"1Gf\" core=\"8\"/><link id=\"rack-%s%d_link_%d\" bandwidth=\"1Gbps\" "
              "latency=\"50us\" sharing_policy=\"SPLITDUPLEX\"/><host_link id=\"%s%d-%d\" up=\"rack-%s%d_link_%d_UP\" "
              "down=\"rack-%s%d_link_%d_DOWN\"/>\n",
              p, r, s, p, r, s, p, r, s, p, r, s, p, r, s);
  fprintf(fp, "  </zone>\n  <link id=\"%s-uplinks\" bandwidth=\"%dGbps\" latency=\"10us\" sharing_policy=\"FATPIPE\"/>\n",
          side, 10 * n);
}

static void platform(FILE* fp, int n)
{
  fprintf(fp, "<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
              "<!-- mvm generate decommission, scale %d: %d source racks, %d destination racks of %d servers.\n"
              "     Server links 1 Gb/s full duplex; rack switches non-blocking (FATPIPE backbone);\n"
              "     uplinks %d Gb/s (FATPIPE); core %d Gb/s full duplex. -->\n"
              "<platform version=\"4.1\">\n  <zone id=\"dc\" routing=\"Full\">\n",
          n, 2 * n, n, SERVERS_PER_RACK, 10 * n, 10 * n);
  side(fp, "old", "s", 2 * n, n);
  side(fp, "new", "d", n, n);
  fprintf(fp, "  <link id=\"core\" bandwidth=\"%dGbps\" latency=\"10us\" sharing_policy=\"SPLITDUPLEX\"/>\n", 10 * n);
  fprintf(fp, "  <zoneRoute src=\"old\" dst=\"new\" gw_src=\"old-switch\" gw_dst=\"new-switch\" symmetrical=\"YES\">"
              "<link_ctn id=\"old-uplinks\"/><link_ctn id=\"core\" direction=\"UP\"/><link_ctn id=\"new-uplinks\"/>"
              "</zoneRoute>\n");
  fprintf(fp, "  </zone>\n</platform>\n");
}

static void scenario(FILE* fp, int n)
{
  fprintf(fp, "<?xml version=\"1.0\"?>\n<!-- mvm generate decommission, scale %d: %d VMs on %d servers move to %d "
              "new servers. -->\n<scenario version=\"1\" platform=\"scale-%d.platform.xml\">\n"
              "  <defaults node-idle=\"110W\" vm-power=\"16W\" boot=\"120s\" shutdown=\"30s\" boot-overhead=\"20%%\" "
              "downtime=\"30ms\"/>\n"
              "  <workload id=\"stressed\" hot-size=\"96MB\" hot-duration=\"2s\" cold-rate=\"3MB/s\"/>\n",
          n, 2 * n * SERVERS_PER_RACK * VMS_PER_SERVER, 2 * n * SERVERS_PER_RACK, n * SERVERS_PER_RACK, n);
  for (int r = 0; r < 2 * n; r++)
    for (int s = 0; s < SERVERS_PER_RACK; s++)
      fprintf(fp, "  <node host=\"s%d-%d\" state=\"on\" final=\"off\"/>\n", r, s);
  for (int r = 0; r < n; r++)
    for (int s = 0; s < SERVERS_PER_RACK; s++)
      fprintf(fp, "  <node host=\"d%d-%d\" state=\"off\" final=\"on\"/>\n", r, s);
  int nvms = 2 * n * SERVERS_PER_RACK * VMS_PER_SERVER;
  static const char* const mem[] = {"2GiB", "4GiB", "2GiB", "4GiB"};
  static const char* const used[] = {"2000MB", "4000MB", "2000MB", "4000MB"};
  for (int k = 0; k < nvms; k++) {
    int src = k / VMS_PER_SERVER, dst = k / (2 * VMS_PER_SERVER);
    fprintf(fp, "  <vm id=\"vm%06d\" memory=\"%s\" used=\"%s\"%s from=\"s%d-%d\" to=\"d%d-%d\"/>\n", k, mem[k % 4],
            used[k % 4], (k % 4 == 1 || k % 4 == 2) ? " workload=\"stressed\"" : "", src / SERVERS_PER_RACK,
            src % SERVERS_PER_RACK, dst / SERVERS_PER_RACK, dst % SERVERS_PER_RACK);
  }
  fprintf(fp, "</scenario>\n");
}

int mvm_generate_decommission(int n, const char* dir, mvm_error* err)
{
  if (n < 1 || n > 100000)
    return mvm_err_set(err, MVM_EINPUT, "--scale must be between 1 and 100000, not %d", n);
  int rc = mvm_mkdir_p(dir, err);
  if (rc)
    return rc;
  char path[4096];
  mvm_outfile out;
  snprintf(path, sizeof path, "%s/scale-%d.platform.xml", dir, n);
  if ((rc = mvm_out_open(&out, path, err)))
    return rc;
  platform(out.fp, n);
  if ((rc = mvm_out_commit(&out, err)))
    return rc;
  snprintf(path, sizeof path, "%s/scale-%d.xml", dir, n);
  if ((rc = mvm_out_open(&out, path, err)))
    return rc;
  scenario(out.fp, n);
  return mvm_out_commit(&out, err);
}
