#include "mvm/generate.h"
#include "mvm/io.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* ---------- fat trees ---------- */

/* xorshift64*: the generator's own, so a seed gives the same scenario everywhere */
static uint64_t rng_next(uint64_t* s)
{
  *s ^= *s >> 12;
  *s ^= *s << 25;
  *s ^= *s >> 27;
  return *s * 2685821657736338717ULL;
}

static int rng_below(uint64_t* s, int n) { return (int)(rng_next(s) % (uint64_t)n); }

const char* mvm_fattree_shape_name(mvm_fattree_shape s)
{
  return s == MVM_FT_DECOMMISSION ? "decommission" : s == MVM_FT_REBALANCE ? "rebalance" : "random";
}

int mvm_fattree_shape_parse(const char* name, mvm_fattree_shape* out)
{
  for (int s = MVM_FT_RANDOM; s <= MVM_FT_REBALANCE; s++)
    if (!strcmp(name, mvm_fattree_shape_name((mvm_fattree_shape)s))) {
      *out = (mvm_fattree_shape)s;
      return 0;
    }
  return -1;
}

/* One SimGrid FAT_TREE cluster: levels = 3, k/2 hosts per edge switch, k/2 edge switches
 * per aggregation switch... in SimGrid's notation "3;k/2,k/2,k;1,k/2,k/2;1,1,1" (downward
 * links per switch of each level, upward links per node, parallel links): k pods of k/2 edge
 * and k/2 aggregation switches, (k/2)^2 cores, k^3/4 hosts, every link 1 Gb/s full duplex,
 * SimGrid's static routing (each host's traffic goes up through fixed parents). */
static void ft_platform(FILE* fp, int k)
{
  int h = k * k * k / 4;
  fprintf(fp,
          "<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
          "<!-- mvm generate fat-tree, k = %d: %d pods, %d hosts, %d core switches; every link 1 Gb/s full duplex. -->\n"
          "<platform version=\"4.1\">\n"
          "  <cluster id=\"ft\" topology=\"FAT_TREE\" topo_parameters=\"3;%d,%d,%d;1,%d,%d;1,1,1\" prefix=\"h\" "
          "suffix=\"\" radical=\"0-%d\"\n           speed=\"1Gf\" core=\"8\" bw=\"1Gbps\" lat=\"50us\" "
          "sharing_policy=\"SPLITDUPLEX\"/>\n</platform>\n",
          k, k, h, k * k / 4, k / 2, k / 2, k, k / 2, k / 2, h - 1);
}

static void ft_vm(FILE* fp, int v, int from, int to)
{
  static const char* const mem[] = {"2GiB", "4GiB", "2GiB", "4GiB"};
  static const char* const used[] = {"2000MB", "4000MB", "2000MB", "4000MB"};
  fprintf(fp, "  <vm id=\"vm%06d\" memory=\"%s\" used=\"%s\"%s from=\"h%d\" to=\"h%d\"/>\n", v, mem[v % 4], used[v % 4],
          (v % 4 == 1 || v % 4 == 2) ? " workload=\"stressed\"" : "", from, to);
}

int mvm_generate_fattree(int k, mvm_fattree_shape shape, int m, uint64_t seed, const char* dir, mvm_error* err)
{
  if (k < 4 || k > 64 || k % 2)
    return mvm_err_set(err, MVM_EINPUT, "--k must be an even number from 4 to 64, not %d", k);
  int h = k * k * k / 4;
  /* decommission: 2 VMs per source, 4 per destination; the others: at most 2 out of a host
   * and 2 into one, and a host is a source or a destination, not both */
  long most = shape == MVM_FT_DECOMMISSION ? 4L * h / 3 : (long)h;
  if (m < 1 || m > most)
    return mvm_err_set(err, MVM_EINPUT, "--migrations must be between 1 and %ld for a %s on a k = %d fat tree (%d hosts), not %d",
                       most, mvm_fattree_shape_name(shape), k, h, m);
  int rc = mvm_mkdir_p(dir, err);
  if (rc)
    return rc;
  int* perm = malloc((size_t)h * sizeof *perm);
  if (!perm)
    return mvm_err_set(err, MVM_ENOMEM, "out of memory");
  uint64_t st = seed ? seed : 0x9E3779B97F4A7C15ULL;
  for (int i = 0; i < h; i++)
    perm[i] = i;
  if (shape != MVM_FT_DECOMMISSION)
    for (int i = h - 1; i > 0; i--) {
      int j = rng_below(&st, i + 1), t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
  char path[4096];
  mvm_outfile out;
  snprintf(path, sizeof path, "%s/fat-tree-%d.platform.xml", dir, k);
  if ((rc = mvm_out_open(&out, path, err)) == 0) {
    ft_platform(out.fp, k);
    rc = mvm_out_commit(&out, err);
  }
  snprintf(path, sizeof path, "%s/fat-tree-%d-%s.xml", dir, k, mvm_fattree_shape_name(shape));
  if (!rc && (rc = mvm_out_open(&out, path, err)) == 0) {
    FILE* fp = out.fp;
    int nsrc = (m + 1) / 2;
    int ndst = shape == MVM_FT_DECOMMISSION ? (m + 3) / 4 : m < h - h / 2 ? m : h - h / 2;
    fprintf(fp,
            "<?xml version=\"1.0\"?>\n<!-- mvm generate fat-tree, k = %d, %s, seed %llu: %d migrations from %d hosts to %d "
            "hosts. -->\n<scenario version=\"1\" platform=\"fat-tree-%d.platform.xml\">\n"
            "  <defaults node-idle=\"110W\" vm-power=\"16W\" boot=\"120s\" shutdown=\"30s\" boot-overhead=\"20%%\" "
            "downtime=\"30ms\"/>\n"
            "  <workload id=\"stressed\" hot-size=\"96MB\" hot-duration=\"2s\" cold-rate=\"3MB/s\"/>\n",
            k, mvm_fattree_shape_name(shape), (unsigned long long)seed, m, nsrc, ndst, k);
    if (shape == MVM_FT_DECOMMISSION) {
      /* the first hosts (pod 0 onwards) are emptied, 2 VMs each, into hosts from the last pod
       * backwards, 4 each, off until booted; sources shut down once empty */
      for (int s = 0; s < nsrc; s++)
        fprintf(fp, "  <node host=\"h%d\" state=\"on\" final=\"off\"/>\n", s);
      for (int d = 0; d < ndst; d++)
        fprintf(fp, "  <node host=\"h%d\" state=\"off\" final=\"on\"/>\n", h - 1 - d);
      for (int v = 0; v < m; v++)
        ft_vm(fp, v, v / 2, h - 1 - v / 4);
    } else if (shape == MVM_FT_REBALANCE) {
      /* loaded hosts (the first half of a random order) each give 2 VMs to 2 distinct light
       * ones (the second half): every host sends or receives at most 2 */
      for (int v = 0; v < m; v++)
        ft_vm(fp, v, perm[v / 2], perm[h / 2 + v % (h - h / 2)]);
    } else {
      /* uniformly random source and destination, distinct */
      for (int v = 0; v < m; v++) {
        int a = rng_below(&st, h), b = rng_below(&st, h - 1);
        ft_vm(fp, v, a, b >= a ? b + 1 : b);
      }
    }
    fprintf(fp, "</scenario>\n");
    rc = mvm_out_commit(&out, err);
  }
  free(perm);
  return rc;
}
