/* mvm import btrplace: a BtrPlace instance (JSON) into DIR/scenario.xml, platform.xml and
 * plan.csv. The three are written in a fresh folder inside DIR, loaded back (scenario,
 * platform, network view: that is what gives an uncapped migration its route's rate), then
 * swapped into place as DIR (mvm_outdir); on any error DIR is left as it was. */
#include "cli.h"
#include "mvm/import.h"
#include "mvm/io.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char* const files[] = {"scenario.xml", "platform.xml", "plan.csv"};
#define NFILES 3

static int write_text(const char* path, const char* text, mvm_error* err)
{
  mvm_outfile out;
  int rc = mvm_out_open(&out, path, err);
  if (rc)
    return rc;
  fputs(text, out.fp);
  return mvm_out_commit(&out, err);
}

static void path_in(char* buf, size_t n, const char* dir, const char* name)
{
  int k = snprintf(buf, n, "%s/%s", dir, name);
  if (k < 0 || (size_t)k >= n) /* not reached: dir is at most 3000 bytes */
    buf[0] = '\0';
}

int cmd_import(int argc, char** argv)
{
  const char *dir = NULL, *platform = NULL;
  const cli_opt opts[] = {{"platform", 0, "P.xml", "SimGrid platform to copy (hosts node<K>); default: generated from the instance's network view", &platform},
                          {"output", 'o', "DIR", "folder to write scenario.xml, platform.xml and plan.csv into", &dir},
                          {NULL, 0, NULL, NULL, NULL}};
  cli_args a;
  int st = cli_begin("import", opts, argc, argv, 0, NULL, &a);
  if (st >= 0)
    return st;
  if (a.npos != 2 || strcmp(a.pos[0], "btrplace") != 0 || !dir) {
    fprintf(stderr, "mvm import: usage: %s\n", cli_command("import")->usage);
    return 2;
  }
  const char* json = a.pos[1];
  mvm_error err = {0};
  mvm_import* im = NULL;
  if (mvm_import_btrplace(json, platform, &im, &err))
    return cli_fail(&err);

  /* DIR is written whole (mvm_outdir: built beside, swapped in; only an empty folder or one
   * mvm wrote is replaced), so an error or a signal leaves it as it was */
  char src[4200];
  mvm_outdir od;
  int rc = mvm_outdir_begin(&od, dir, &err);
  const char* tmp = rc ? NULL : mvm_outdir_path(&od);
  mvm_scenario* sc = NULL;
  mvm_netview* nv = NULL;
  size_t nuncapped = 0, nclamped = 0;
  if (!rc) {
    path_in(src, sizeof src, tmp, files[0]);
    rc = write_text(src, im->scenario_xml, &err);
  }
  if (!rc) {
    path_in(src, sizeof src, tmp, files[1]);
    rc = write_text(src, im->platform_xml, &err);
  }
  if (!rc) {
    path_in(src, sizeof src, tmp, files[0]);
    if ((rc = cli_load(src, a.sgargv, &a.sgargc, &sc, &nv, &err))) {
      char msg[MVM_ERROR_MSG_MAX];
      snprintf(msg, sizeof msg, "%s", err.msg);
      mvm_err_set(&err, rc, "%s: the imported scenario does not load%s%s: %s", json,
                  platform ? " with " : "", platform ? platform : "", msg);
    }
  }
  if (!rc)
    rc = mvm_import_fit_bandwidth(im->plan, sc, nv, &nuncapped, &nclamped, &err);
  if (!rc) {
    path_in(src, sizeof src, tmp, files[2]);
    rc = mvm_plan_write(im->plan, src, &err);
  }
  if (!rc)
    rc = mvm_outdir_commit(&od, &err);
  else
    mvm_outdir_abort(&od);
  if (!rc)
    fprintf(stderr,
            "mvm import: %s: %zu VMs, %zu migrations, %zu boots, %zu shutdowns -> %s/{scenario.xml,"
            "platform.xml,plan.csv}%s%s\n",
            json, im->nvms, im->nmigrations, im->nboots, im->nshutdowns, dir, nuncapped ? "; uncapped (bw 0) migrations get their route's rate" : "",
            nclamped ? "; bandwidths above the route's effective rate lowered to it" : "");
  if (!rc && (nuncapped || nclamped))
    fprintf(stderr, "mvm import: %zu uncapped, %zu lowered\n", nuncapped, nclamped);
  mvm_netview_free(nv);
  mvm_scenario_free(sc);
  mvm_import_free(im);
  return rc ? cli_fail(&err) : 0;
}
