#include "mvm/generate.h"
#include "mvm/io.h"

#include <stdio.h>

#define SERVERS_PER_RACK 24
#define VMS_PER_SERVER 2

static void cluster(FILE* fp, const char* p, int r)
{
  fprintf(fp,
          "    <cluster id=\"rack-%s%d\" prefix=\"%s%d-\" suffix=\"\" radical=\"0-%d\" speed=\"1Gf\" core=\"8\"\n"
          "             bw=\"1Gbps\" lat=\"50us\" sharing_policy=\"SPLITDUPLEX\" bb_bw=\"100Gbps\" bb_lat=\"5us\"\n"
          "             bb_sharing_policy=\"FATPIPE\" router_id=\"gw-%s%d\"/>\n",
          p, r, p, r, SERVERS_PER_RACK - 1, p, r);
}

/* Two sides (old racks, new racks), each a zone of rack clusters and a core router reached
 * through each rack's uplink; the core link joins the sides. Every route is declared once
 * (3N zoneRoutes + 1) and SimGrid composes host-to-host routes from the hierarchy, so the
 * file grows linearly with N (one route per rack pair would be 2N^2 lines). Routes are
 * symmetrical: SimGrid sends the acknowledgements (network/crosstraffic) back along the
 * reverse route, which flips the SPLITDUPLEX directions. A flow from an old to a new rack:
 * server link UP, rack backbone, uplink UP, core UP, uplink DOWN, backbone, server link DOWN. */
static void platform(FILE* fp, int n)
{
  fprintf(fp, "<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
              "<!-- mvm generate decommission, scale %d: %d source racks, %d destination racks of %d servers.\n"
              "     Server links 1 Gb/s full duplex; rack switches non-blocking (FATPIPE backbone);\n"
              "     rack uplinks %d Gb/s full duplex; core %d Gb/s full duplex. -->\n"
              "<platform version=\"4.1\">\n  <zone id=\"dc\" routing=\"Full\">\n",
          n, 2 * n, n, SERVERS_PER_RACK, 10 * n, 10 * n);
  for (int kind = 0; kind < 2; kind++) {
    int racks = kind == 0 ? 2 * n : n;
    const char* p = kind == 0 ? "s" : "d";
    const char* side = kind == 0 ? "old" : "new";
    fprintf(fp, "  <zone id=\"%s-racks\" routing=\"Full\">\n", side);
    for (int r = 0; r < racks; r++)
      cluster(fp, p, r);
    fprintf(fp, "    <zone id=\"%s-core\" routing=\"Full\"><router id=\"%s-core-r\"/></zone>\n", side, side);
    for (int r = 0; r < racks; r++)
      fprintf(fp, "    <link id=\"uplink-%s%d\" bandwidth=\"%dGbps\" latency=\"10us\" sharing_policy=\"SPLITDUPLEX\"/>\n",
              p, r, 10 * n);
    for (int r = 0; r < racks; r++)
      fprintf(fp,
              "    <zoneRoute src=\"rack-%s%d\" dst=\"%s-core\" gw_src=\"gw-%s%d\" gw_dst=\"%s-core-r\" "
              "symmetrical=\"YES\"><link_ctn id=\"uplink-%s%d\" direction=\"UP\"/></zoneRoute>\n",
              p, r, side, p, r, side, p, r);
    fprintf(fp, "  </zone>\n");
  }
  fprintf(fp, "  <link id=\"core\" bandwidth=\"%dGbps\" latency=\"10us\" sharing_policy=\"SPLITDUPLEX\"/>\n", 10 * n);
  fprintf(fp, "  <zoneRoute src=\"old-racks\" dst=\"new-racks\" gw_src=\"old-core-r\" gw_dst=\"new-core-r\" "
              "symmetrical=\"YES\"><link_ctn id=\"core\" direction=\"UP\"/></zoneRoute>\n");
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
