/* The calibrated defaults (values and sources: docs/calibration.md). */
#include "mvm/calibration.h"

mvm_calibration mvm_calibration_default(void)
{
  mvm_calibration c = {
      .node_idle = 110.0,
      .vm_power = 16.0,
      .boot = 120.0,
      .shutdown = 30.0,
      .boot_overhead = 0.20,
      .downtime = 0.030,
      .mig_alpha = 0.512,
      .mig_beta = 20.165,
      .bw_factor = 0.941,
      .mig_setup = 2.5,
      .resend = 0.5,
      .lat_factor = 13.01,
  };
  return c;
}
