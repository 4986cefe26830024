/* Progress on standard error for the long phases (loading the platform, solving,
 * simulating): on when standard error is a terminal, or with --progress; off with -q. On a
 * terminal it is one status line, rewritten and erased at the end (a short run leaves
 * nothing behind); otherwise (--progress into a file or a pipe) one line per report. */
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static int enabled = -1; /* -1: not decided yet (then: a terminal) */
static int tty;           /* standard error is a terminal: one status line */
static int line_open;     /* a status line is on the terminal */
static double started;

static void erase_line(void)
{
  if (line_open)
    fputs("\r\033[K", stderr);
  line_open = 0;
}

static double wall(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

void cli_progress_setup(const char* quiet, const char* force)
{
  tty = isatty(STDERR_FILENO);
  enabled = quiet ? 0 : force ? 1 : tty;
  if (enabled && tty)
    atexit(erase_line);
}

void cli_progress_end(void) { erase_line(); }

int cli_progress_on(void)
{
  if (enabled < 0)
    enabled = 0; /* a command that never asked prints nothing */
  return enabled;
}

void cli_progress_phase(const char* fmt, ...)
{
  if (!cli_progress_on())
    return;
  if (started == 0)
    started = wall();
  va_list ap;
  va_start(ap, fmt);
  erase_line();
  fprintf(stderr, "mvm: [%6.1f s] ", wall() - started);
  vfprintf(stderr, fmt, ap);
  if (tty)
    line_open = 1;
  else
    fputc('\n', stderr);
  fflush(stderr);
  va_end(ap);
}

/* The replay's callback (mvm_replay_opts.progress), in the simulation's process: at most
 * twice a second on a terminal (one line rewritten), every 5 s otherwise, and at the end. */
void cli_progress_replay(size_t done, size_t total, double sim_time, void* data)
{
  (void)data;
  static double t0, last;
  double now = wall();
  if (done <= 1 || t0 == 0)
    t0 = last = now;
  if (done < total && now - last < (tty ? 0.5 : 5.0))
    return;
  last = now;
  double el = now - t0, left = done ? el * (double)(total - done) / (double)done : 0;
  erase_line();
  if (tty && done == total) { /* the status line goes: the report follows */
    fflush(stderr);
    return;
  }
  fprintf(stderr, "mvm: simulating: %zu/%zu actions (%.0f %%), %.0f s simulated, %.1f s elapsed, about %.0f s left%s",
          done, total, total ? 100.0 * (double)done / (double)total : 100.0, sim_time, el, left, tty ? "" : "\n");
  line_open = tty;
  fflush(stderr);
}
