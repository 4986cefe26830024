#!/bin/sh
# Turns the real executions of the thesis' accuracy study into one CSV (stdout):
#   validation/real_runs.sh DATA_DIR > real_runs.csv
# DATA_DIR holds random.N.json and runR/micro_random.N.csv (validation/data/thesis-accuracy-train).
# Each run file: `ACTION;START;END;RUN` then rows
#   {action=migrate(vm=vm#K, from=node#S, to=node#D, bw=B)};START;END;RUN   (Unix seconds)
# Columns, one row per migration and run, sorted by instance, run, real_start, vm:
#   instance       N of random.N
#   vm             vmK (mvm's id of the instance's VM K)
#   from, to       nodeS, nodeD (source and destination hosts)
#   bw_mbps        the plan's bandwidth (Mb/s) the executor set with migrate-setspeed
#   mem_mb         the VM's memUsed in random.N.json (MB = 1e6 B)
#   run            R of the folder runR (the files' own RUN column holds the instance number N)
#   real_start     s since the first start of that run of that instance
#   real_duration  END - START, s (whole seconds: the executor's log resolution)
# Uses jq (for memUsed) and awk; exits 2 on a missing folder or a row it cannot read.
set -eu
[ $# -eq 1 ] && [ -d "$1" ] || { echo "usage: $0 DATA_DIR" >&2; exit 2; }
dir=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "instance,vm,from,to,bw_mbps,mem_mb,run,real_start,real_duration"
for f in "$dir"/run*/micro_random.*.csv; do
  [ -e "$f" ] || { echo "$0: no run*/micro_random.*.csv in $dir" >&2; exit 2; }
  n=${f##*/micro_random.}; n=${n%.csv}
  r=${f%/micro_random.*}; r=${r##*/run}
  json="$dir/random.$n.json"
  [ -r "$json" ] || { echo "$0: $f: no $json" >&2; exit 2; }
  jq -r '.origin.attributes.vms | to_entries[] | "\(.key) \(.value.memUsed)"' "$json" > "$tmp/mem"
  awk -v inst="$n" -v runr="$r" -v file="$f" '
    FNR == NR { mem[$1] = $2; next }
    FNR == 1 { next }                         # header
    /^[[:space:]]*$/ { next }
    {
      if (!match($0, /vm=vm#[0-9]+, from=node#[0-9]+, to=node#[0-9]+, bw=[0-9.]+\)\};[0-9]+;[0-9]+;[0-9]+/)) {
        printf "%s:%d: unreadable row\n", file, FNR > "/dev/stderr"; bad = 1; exit 2
      }
      s = substr($0, RSTART, RLENGTH)
      gsub(/vm=vm#|from=node#|to=node#|bw=|\)\}/, "", s)
      gsub(/, /, ";", s)
      split(s, f, ";")                        # vm from to bw start end run
      if (!(f[1] in mem)) { printf "%s:%d: vm#%s not in the instance\n", file, FNR, f[1] > "/dev/stderr"; bad = 1; exit 2 }
      k++; vm[k] = f[1]; from[k] = f[2]; to[k] = f[3]; bw[k] = f[4]; st[k] = f[5]; ed[k] = f[6]; run[k] = runr
      if (k == 1 || f[5] < t0) t0 = f[5]
    }
    END {
      if (bad) exit 2
      for (i = 1; i <= k; i++)
        printf "%s,vm%s,node%s,node%s,%s,%s,%s,%d,%d\n", inst, vm[i], from[i], to[i], bw[i], mem[vm[i]], run[i], st[i] - t0, ed[i] - st[i]
    }' "$tmp/mem" "$f"
done | sort -t, -k1,1n -k7,7n -k8,8n -k2,2V
