/* mvm — the defaults both halves start from: the calibrated network and migration stack,
 * the authors' power figures, the idle workload's dirtying and the stall limits
 * (docs/calibration.md: every value, and the measurement behind it).
 *
 * The scheduler's scenario reader starts every <defaults> from these; the plugin starts its
 * power parameters and a VM's workload from them. Plain values: nothing to free, no error. */
#ifndef MVM_CALIBRATION_H
#define MVM_CALIBRATION_H

typedef struct mvm_calibration {
  double node_idle;     /* W, a node that is on, from power-on to power-off: 110       */
  double vm_power;      /* W per running VM: 16                                         */
  double boot;          /* s, boot duration: 120                                        */
  double shutdown;      /* s, shutdown duration: 30                                     */
  double boot_overhead; /* fraction of idle power added while booting: 0.20             */
  double downtime;      /* s, a migration's target downtime (QEMU 2.2): 0.030           */
  double mig_alpha;     /* J per MB sent by a migration (Liu et al.): 0.512             */
  double mig_beta;      /* J per migration: 20.165                                      */
  double bw_factor;     /* TCP payload rate / nominal bandwidth: 0.941                  */
  double mig_setup;     /* s before a migration's first byte (libvirt, QEMU): 2.5       */
  double resend;        /* share of a round's dirtied data sent again: 0.5              */
  double lat_factor;    /* a flow's latency / its route's latency (SimGrid LV08): 13.01 */
} mvm_calibration;

/* Stall limits of a pre-copy migration (QEMU/libvirt have none: mvm's guard) */
#define MVM_STALL_MAX_ROUNDS 64   /* rounds without converging before it stalls */
#define MVM_STALL_MAX_TIME 3600.0 /* s of pre-copy before it stalls (1 h)       */

/* The calibrated values above. */
mvm_calibration mvm_calibration_default(void);

#endif
