/* mvm — the SimGrid bridge, the one C++ file (internal library, see sgbridge.h): S4U
 * features that SimGrid 3.32's C API lacks (a communication's rate cap, a link's sharing
 * policy, host extensions, platform loading and routing that report errors instead of
 * aborting). Each call is wrapped so no C++ exception crosses into C. */
#include "sgbridge.h"

#include <simgrid/Exception.hpp>
#include <simgrid/engine.h>
#include <simgrid/kernel/Timer.hpp>
#include <simgrid/s4u.hpp>
#include <xbt/config.hpp>

#include <cstdio>
#include <exception>
#include <string>
#include <unordered_map>
#include <vector>

namespace sg4 = simgrid::s4u;

static void report(const std::exception& e, char* why, size_t why_len)
{
  if (why && why_len)
    std::snprintf(why, why_len, "%s", e.what());
}

/* SimGrid 3.32 aborts (xbt_die) on an unknown model name when the platform loads, so the
 * model options are checked here, against the names SimGrid 3.32 knows. */
static bool model_option_ok(const std::string& arg, char* why, size_t why_len)
{
  static const struct {
    const char* key;
    std::vector<std::string> values;
  } models[] = {{"network/model", {"LV08", "Constant", "SMPI", "IB", "CM02", "ns-3"}},
                {"cpu/model", {"Cas01"}},
                {"host/model", {"default", "compound", "ptask_L07"}},
                {"disk/model", {"S19"}}};
  for (const auto& m : models) {
    std::string prefix = std::string("--cfg=") + m.key + ":";
    if (arg.compare(0, prefix.size(), prefix) != 0)
      continue;
    std::string v = arg.substr(prefix.size());
    for (const auto& ok : m.values)
      if (v == ok)
        return true;
    std::string list;
    for (const auto& ok : m.values)
      list += (list.empty() ? "" : ", ") + ok;
    std::snprintf(why, why_len, "%s: unknown model '%s' (SimGrid 3.32 knows %s)", m.key, v.c_str(), list.c_str());
    return false;
  }
  return true;
}

extern "C" int mvm__sg_init(int* argc, char** argv, char* why, size_t why_len)
{
  try {
    for (int i = 1; i < *argc; i++)
      if (argv[i] && !model_option_ok(argv[i], why, why_len))
        return -1;
    simgrid_init(argc, argv);
    return 0;
  } catch (const std::exception& e) {
    report(e, why, why_len);
    return -1;
  }
}

extern "C" int mvm__sg_load_platform(const char* path, char* why, size_t why_len)
{
  try {
    sg4::Engine::get_instance()->load_platform(path);
    return 0;
  } catch (const std::bad_alloc&) {
    snprintf(why, why_len, "out of memory");
    return -2;
  } catch (const std::exception& e) {
    report(e, why, why_len);
    return -1;
  }
}

extern "C" int mvm__sg_route(const_sg_host_t src, const_sg_host_t dst, const_sg_link_t* links,
                            size_t max, size_t* count, char* why, size_t why_len)
{
  try {
    std::vector<sg4::Link*> route;
    double latency = 0;
    src->route_to(dst, route, &latency);
    if (route.size() > max) {
      std::snprintf(why, why_len, "route of %zu links is too long", route.size());
      return -1;
    }
    for (size_t i = 0; i < route.size(); i++)
      links[i] = route[i];
    *count = route.size();
    return 0;
  } catch (const std::exception& e) {
    report(e, why, why_len);
    return -1;
  }
}

extern "C" int mvm__sg_link_is_fatpipe(const_sg_link_t link)
{
  return link->get_sharing_policy() == sg4::Link::SharingPolicy::FATPIPE;
}

/* SimGrid 3.32 ignores set_rate() on host-to-host comms (Comm::sendto_init): the rate is only
 * passed to the kernel on the mailbox path. One mailbox and one receiver per migration (was:
 * a receiver actor per round, whose stack creation and destruction took about a third of a
 * replay's time). The receiver takes every message of its mailbox until the last one. */
struct mvm__sg_channel {
  sg4::Mailbox* mbox;
  double rate;
  bool over; /* the receiver has ended (last message, or a failed communication) */
};

static int more_token, last_token; /* what a message says: another one follows, or not */

extern "C" mvm__sg_channel* mvm__sg_channel_open(sg_host_t dst, double rate)
{
  static unsigned long counter = 0;
  try {
    auto* ch = new mvm__sg_channel;
    ch->mbox = sg4::Mailbox::by_name("mvm-migration-" + std::to_string(counter++));
    ch->rate = rate;
    ch->over = false;
    sg4::Mailbox* mbox = ch->mbox;
    /* the receiver ends by returning, never killed: it reads whether a message is the last */
    sg4::ActorPtr receiver = sg4::Actor::create("mvm-receiver", dst, [mbox]() {
      try {
        while (mbox->get<int>() != &last_token)
          ;
      } catch (const simgrid::Exception&) {
        /* the sender's side failed: the migration ends, so does its receiver */
      }
    });
    receiver->daemonize();
    return ch;
  } catch (const std::exception&) {
    return nullptr;
  }
}

extern "C" int mvm__sg_channel_send(mvm__sg_channel* ch, double bytes, int last)
{
  try {
    sg4::CommPtr comm = ch->mbox->put_init(last ? &last_token : &more_token, static_cast<uint64_t>(bytes < 1 ? 1 : bytes));
    if (ch->rate > 0)
      comm->set_rate(ch->rate);
    comm->wait();
    ch->over = last != 0;
    return 0;
  } catch (const simgrid::Exception&) {
    ch->over = true;
    return -1;
  }
}

extern "C" void mvm__sg_channel_close(mvm__sg_channel* ch)
{
  if (!ch)
    return;
  try {
    if (!ch->over) /* a migration that stopped without its last copy: tell the receiver, without waiting */
      ch->mbox->put_init(&last_token, 0)->detach();
  } catch (const std::exception&) {
    /* the receiver is a daemon: it ends with the simulation anyway */
  }
  delete ch;
}

extern "C" int mvm__sg_link_policy(const_sg_link_t link)
{
  switch (link->get_sharing_policy()) {
  case sg4::Link::SharingPolicy::FATPIPE:
    return MVM__SG_FATPIPE;
  case sg4::Link::SharingPolicy::SHARED:
  case sg4::Link::SharingPolicy::SPLITDUPLEX:
    return MVM__SG_SHARED;
  default:
    return MVM__SG_OTHER;
  }
}

/* A dynamic bound no sum of flows reaches: the link's constraint keeps its place and
 * elements among SimGrid's max-min constraints but is never the one that saturates. */
static double never_saturates(double, int) { return 1e300; }

extern "C" int mvm__sg_link_set_unbounded(sg_link_t link)
{
  try {
    link->set_sharing_policy(sg4::Link::SharingPolicy::NONLINEAR, never_saturates);
    return 0;
  } catch (const std::exception&) {
    return -1;
  }
}

extern "C" int mvm__sg_cfg_is_default(const char* key)
{
  try {
    return simgrid::config::is_default(key) ? 1 : 0;
  } catch (const std::exception&) {
    return 0;
  }
}

extern "C" int mvm__sg_timer_at(double date, void (*cb)(void*), void* data)
{
  try {
    simgrid::kernel::timer::Timer::set(date, [cb, data]() { cb(data); });
    return 0;
  } catch (const std::exception&) {
    return -1;
  }
}

extern "C" void mvm__sg_vm_set_pm(sg_vm_t vm, sg_host_t pm)
{
  vm->set_pm(pm);
}

extern "C" void mvm__sg_host_extension_set(sg_host_t host, size_t rank, void* value)
{
  host->extension_set(rank, value);
}

extern "C" void mvm__sg_on_platform_created(void (*cb)(void))
{
  sg4::Engine::on_platform_created_cb([cb]() { cb(); });
}

/* Host lookup by name in O(1): SimGrid 3.32's sg_host_by_name walks every netzone, which
 * makes N lookups on a platform of Z zones cost N x Z (minutes at 3,000 racks). */
struct mvm__sg_hostmap {
  std::unordered_map<std::string, sg_host_t> by_name;
};

extern "C" mvm__sg_hostmap* mvm__sg_hostmap_new(void)
{
  try {
    auto* m = new mvm__sg_hostmap;
    for (sg4::Host* h : sg4::Engine::get_instance()->get_all_hosts())
      m->by_name.emplace(h->get_name(), h);
    return m;
  } catch (const std::exception&) {
    return nullptr;
  }
}

extern "C" sg_host_t mvm__sg_hostmap_get(const mvm__sg_hostmap* m, const char* name)
{
  try {
    auto it = m->by_name.find(name);
    return it == m->by_name.end() ? nullptr : it->second;
  } catch (const std::exception&) {
    return nullptr;
  }
}

extern "C" void mvm__sg_hostmap_free(mvm__sg_hostmap* m)
{
  delete m;
}
