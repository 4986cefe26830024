/* mvm — quantities with units, as SimGrid writes them ("2GiB", "500Mbps", "30ms").
 * Every quantity is converted to one base unit: bytes, bytes/s, seconds, watts,
 * fractions (for %), flop/s. */
#ifndef MVM_UNITS_H
#define MVM_UNITS_H

typedef enum {
  MVM_UNIT_SIZE,    /* B kB MB GB TB KiB MiB GiB TiB                  -> bytes          */
  MVM_UNIT_RATE,    /* size unit + "/s" or "ps" (MBps), or bps kbps Mbps Gbps (bits) -> bytes/s */
  MVM_UNIT_TIME,    /* ps ns us ms s min (or m) h d w                -> seconds         */
  MVM_UNIT_POWER,   /* mW W kW MW                                    -> watts           */
  MVM_UNIT_PERCENT, /* %                                             -> fraction        */
  MVM_UNIT_COUNT,   /* a plain non-negative number (cores)                              */
  MVM_UNIT_SPEED    /* f or flops after k M G T P E Ki Mi Gi Ti Pi   -> flop/s          */
} mvm_unit_kind;

/* Parses text as a quantity of the given kind into *out (base unit).
 * Returns 0, or -1 with a reason in why (e.g. "unknown unit 'Mo' for a size").
 * Rejects negative, non-finite and absurdly large values (> 1e18 base units). */
int mvm_parse_quantity(const char* text, mvm_unit_kind kind, double* out, char* why,
                       unsigned why_len);

/* Name of a kind for messages ("size", "rate", ...). */
const char* mvm_unit_kind_name(mvm_unit_kind kind);

#endif
