/* Binary min-heap of action indices keyed by a double array, ties broken by index so that
 * every run is deterministic. Internal to the scheduler. */
#ifndef MVM_HEAP_H
#define MVM_HEAP_H

#include <stddef.h>
#include <stdlib.h>

typedef struct iheap {
  int* a;
  size_t n, cap;
} iheap;

static inline int iheap_less(const double* key, int x, int y)
{
  return key[x] < key[y] || (key[x] == key[y] && x < y);
}

static inline int iheap_push(iheap* h, const double* key, int v)
{
  if (h->n == h->cap) {
    size_t nc = h->cap ? 2 * h->cap : 8;
    int* na = realloc(h->a, nc * sizeof(int));
    if (!na)
      return -1;
    h->a = na;
    h->cap = nc;
  }
  size_t i = h->n++;
  while (i > 0) {
    size_t p = (i - 1) / 2;
    if (!iheap_less(key, v, h->a[p]))
      break;
    h->a[i] = h->a[p];
    i = p;
  }
  h->a[i] = v;
  return 0;
}

static inline int iheap_pop(iheap* h, const double* key)
{
  int top = h->a[0];
  int v = h->a[--h->n];
  size_t i = 0;
  for (;;) {
    size_t l = 2 * i + 1, r = l + 1, m = i;
    int best = v;
    if (l < h->n && iheap_less(key, h->a[l], best)) {
      m = l;
      best = h->a[l];
    }
    if (r < h->n && iheap_less(key, h->a[r], best))
      m = r;
    if (m == i)
      break;
    h->a[i] = h->a[m];
    i = m;
  }
  if (h->n)
    h->a[i] = v;
  return top;
}

static inline void iheap_free(iheap* h)
{
  free(h->a);
  h->a = NULL;
  h->n = h->cap = 0;
}

#endif
