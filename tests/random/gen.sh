#!/usr/bin/env bash
# Random small scenarios for the randomized tests (sourced, not run).
# gen_instance SEED DIR [BUDGET] [NVM]: writes DIR/p.xml (platform) and DIR/s.xml (scenario) and
# sets nvm. The instance depends on SEED only (bash's RANDOM, seeded): 4 or 5 hosts behind
# their own full-duplex links of 500 Mb/s or 1 Gb/s on one non-blocking switch; 3 to 7 VMs
# of 1000-4000 MB, idle or stressed (hot 20-80 MB over 1-3 s, cold 0-10 MB/s), each moving
# to another host; the destination may start off (boot) and an emptied source may shut
# down; sometimes a sync pair, a serialize pair, a precedence. With BUDGET=1 also a power
# budget between 0 and 700 W above the initial draw (whole plan or a window) and sometimes
# a deadline. With NVM, that many VMs instead (the other draws unchanged).
gen_instance() {
  local i=$1 T=$2 budget=${3:-0} fixed=${4:-} h v a b noff=0
  RANDOM=$i
  nh=$((4 + RANDOM % 2))
  {
    echo "<?xml version='1.0'?>"
    echo '<!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">'
    echo '<platform version="4.1"><zone id="z" routing="Full">'
    for ((h = 0; h < nh; h++)); do echo "<host id=\"h$h\" speed=\"1Gf\" core=\"16\"/>"; done
    for ((h = 0; h < nh; h++)); do
      bw=$((RANDOM % 2 ? 1000 : 500))
      echo "<link id=\"l$h\" bandwidth=\"${bw}Mbps\" latency=\"50us\" sharing_policy=\"SPLITDUPLEX\"/>"
    done
    echo '<link id="sw" bandwidth="100Gbps" latency="10us" sharing_policy="FATPIPE"/>'
    for ((a = 0; a < nh; a++)); do for ((b = a + 1; b < nh; b++)); do
      echo "<route src=\"h$a\" dst=\"h$b\" symmetrical=\"YES\"><link_ctn id=\"l$a\" direction=\"UP\"/><link_ctn id=\"sw\"/><link_ctn id=\"l$b\" direction=\"DOWN\"/></route>"
    done; done
    echo '</zone></platform>'
  } >"$T/p.xml"
  nvm=$((3 + RANDOM % 5))
  [ -n "$fixed" ] && nvm=$fixed
  declare -a from to
  for ((v = 0; v < nvm; v++)); do
    from[v]=$((RANDOM % nh))
    to[v]=$(((from[v] + 1 + RANDOM % (nh - 1)) % nh))
  done
  {
    echo '<?xml version="1.0"?>'
    echo '<scenario version="1" platform="p.xml">'
    echo "<workload id=\"w\" hot-size=\"$((20 + RANDOM % 61))MB\" hot-duration=\"$((2 + RANDOM % 2))s\" cold-rate=\"$((RANDOM % 11))MB/s\"/>"
    for ((h = 0; h < nh; h++)); do
      src=0 dst=0
      for ((v = 0; v < nvm; v++)); do
        [ "${from[v]}" = $h ] && src=1
        [ "${to[v]}" = $h ] && dst=1
      done
      if [ $dst = 1 ] && [ $src = 0 ] && [ $((RANDOM % 3)) = 0 ]; then echo "<node host=\"h$h\" state=\"off\" final=\"on\"/>"; noff=$((noff + 1))
      elif [ $src = 1 ] && [ $dst = 0 ] && [ $((RANDOM % 2)) = 0 ]; then echo "<node host=\"h$h\" state=\"on\" final=\"off\"/>"
      else echo "<node host=\"h$h\"/>"; fi
    done
    for ((v = 0; v < nvm; v++)); do
      wl=""; [ $((RANDOM % 2)) = 0 ] && wl=' workload="w"'
      echo "<vm id=\"vm$v\" memory=\"4GiB\" used=\"$((1000 + RANDOM % 3001))MB\"$wl from=\"h${from[v]}\" to=\"h${to[v]}\"/>"
    done
    [ $((RANDOM % 3)) = 0 ] && echo '<sync vms="vm0 vm1"/>'
    [ $((RANDOM % 3)) = 0 ] && echo '<serialize vms="vm1 vm2"/>'
    [ $((RANDOM % 3)) = 0 ] && echo '<precedence before="vm2" after="vm0"/>'
    if [ "$budget" = 1 ]; then
      local draw=$(((nh - noff) * 110 + nvm * 16)) extra=$((RANDOM % 701))
      if [ $((RANDOM % 3)) = 0 ]; then
        echo "<power-budget max=\"$((draw + extra))W\" from=\"$((RANDOM % 60))s\" to=\"$((100 + RANDOM % 200))s\"/>"
      else
        echo "<power-budget max=\"$((draw + extra))W\"/>"
      fi
      [ $((RANDOM % 3)) = 0 ] && echo "<deadline vms=\"vm0\" at=\"$((60 + RANDOM % 240))s\"/>"
    fi
    echo '</scenario>'
  } >"$T/s.xml"
  unset from to
}
