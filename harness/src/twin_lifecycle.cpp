#include "twin_lifecycle.hpp"

#include <algorithm>
#include <deque>
#include <mutex>
#include <set>
#include <stdexcept>

#include "twincert/base/config_error.hpp"
#include "twincert/harness/target.hpp"

#include "asio.hpp"
#include "http_client.hpp"
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace twincert::harness {

namespace {

// A loopback port free for both UDP and TCP right now. The sockets stay open until all of a
// case's ports are chosen, so no two names get the same port.
class PortPicker {
 public:
  PortPicker() = default;
  PortPicker(const PortPicker&) = delete;
  PortPicker& operator=(const PortPicker&) = delete;
  ~PortPicker() {
    for (const int fd : held_) {
      if (fd >= 0) ::close(fd);
    }
  }
  std::uint16_t pick() {
    for (int attempt = 0; attempt < 50; ++attempt) {
      const int udp = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
      sockaddr_in a{};
      a.sin_family = AF_INET;
      a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      socklen_t length = sizeof a;
      if (::bind(udp, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||        // NOLINT
          ::getsockname(udp, reinterpret_cast<sockaddr*>(&a), &length) != 0) {  // NOLINT
        ::close(udp);
        continue;
      }
      const int tcp = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      if (::bind(tcp, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {  // NOLINT
        ::close(tcp);
        ::close(udp);
        continue;
      }
      const std::uint16_t port = ntohs(a.sin_port);
      if (!fresh(port)) {  // handed to a case that may not have bound it yet
        ::close(tcp);
        ::close(udp);
        continue;
      }
      held_.push_back(udp);
      held_.push_back(tcp);
      return port;
    }
    throw std::runtime_error("no free loopback port");
  }

  // Lets go of every port except the UDP sockets of `keep`, which the caller now owns: the
  // harness's own listeners stay bound while the twin starts, so nothing else can take them.
  std::map<std::uint16_t, int> release_all_but_udp(const std::set<std::uint16_t>& keep) {
    std::map<std::uint16_t, int> kept;
    for (std::size_t i = 0; i + 1 < held_.size(); i += 2) {
      sockaddr_in a{};
      socklen_t length = sizeof a;
      if (::getsockname(held_[i], reinterpret_cast<sockaddr*>(&a), &length) == 0 &&  // NOLINT
          keep.contains(ntohs(a.sin_port))) {
        kept[ntohs(a.sin_port)] = held_[i];
        held_[i] = -1;
      }
    }
    for (const int fd : held_) {
      if (fd >= 0) ::close(fd);
    }
    held_.clear();
    return kept;
  }

 private:
  // Ports handed out lately by any case of this process: between closing our socket and the
  // twin binding the port, the kernel could hand it to a parallel case again.
  static bool fresh(std::uint16_t port) {
    static std::mutex mutex;
    static std::deque<std::uint16_t> recent;
    const std::scoped_lock lock(mutex);
    if (std::find(recent.begin(), recent.end(), port) != recent.end()) return false;
    recent.push_back(port);
    if (recent.size() > 4096) recent.pop_front();
    return true;
  }

  std::vector<int> held_;
};

Readiness readiness_of(const TwinAdapter& a) {
  Readiness r;
  r.probe = a.ready_probe;
  r.timeout = a.ready_timeout;
  if (a.ready_probe == ReadyProbe::kHttp200) {
    const HttpUrl url = parse_http_url(a.ready_target);
    r.host = url.host;
    r.port = url.port;
    r.path = url.path;
  } else if (a.ready_probe == ReadyProbe::kPortOpen) {
    const auto colon = a.ready_target.rfind(':');
    r.port = static_cast<std::uint16_t>(std::stoi(a.ready_target.substr(colon + 1)));
    if (colon != std::string::npos) r.host = a.ready_target.substr(0, colon);
  } else {
    r.log_contains = a.ready_target;
  }
  return r;
}

// POSTs the adapter's reset URL; nullopt when answered with 2xx, else why not.
std::optional<std::string> reset_twin(const std::string& reset_url,
                                      std::chrono::milliseconds timeout) {
  asio::io_context io;
  std::optional<std::string> why = "no answer";
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        const auto a =
            co_await async_http(io, parse_http_url(reset_url), HttpMethod::kPost, timeout);
        if (a.status >= 200 && a.status < 300) {
          why.reset();
        } else {
          why = a.error.empty() ? "HTTP " + std::to_string(a.status) : a.error;
        }
      },
      asio::detached);
  io.run();
  return why;
}

// The adapter with the campaign's mutant planted (its arguments after the twin's own).
TwinAdapter adapter_for(const CaseSetup& setup) {
  TwinAdapter adapter = setup.adapter;
  if (setup.mutant.empty()) return adapter;
  const auto m = std::find_if(adapter.mutants.begin(), adapter.mutants.end(),
                              [&](const Mutant& x) { return x.name == setup.mutant; });
  if (m == adapter.mutants.end()) {
    throw ConfigError("adapter " + adapter.origin.string() + " has no mutant \"" + setup.mutant +
                      "\"");
  }
  adapter.command.insert(adapter.command.end(), m->args.begin(), m->args.end());
  return adapter;
}

// The loopback UDP ports the observer will listen on.
std::set<std::uint16_t> loopback_udp_listen_ports(const TwinAdapter& twin) {
  std::set<std::uint16_t> ports;
  for (const auto& url : twin.observe.nmea) {
    const Target t = parse_target(url);
    if (t.kind == TargetKind::kUdp && t.host == "127.0.0.1") ports.insert(t.port);
  }
  return ports;
}

}  // namespace

TwinKeeper::TwinKeeper() = default;

TwinKeeper::~TwinKeeper() {
  if (held) held->process->stop(held->twin.stop_grace);
}

// Starts the twin for a case. A twin that exits before it is ready gets one more start on other
// ports: another program may have taken a port between our choosing it and the twin binding it.
std::unique_ptr<TwinKeeper::Held> start_twin(const CaseSetup& setup, const CaseResult& result,
                                             ReadyResult& ready) {
  const TwinAdapter adapter = adapter_for(setup);
  AdapterVariables variables;
  variables.case_dir = result.dir;
  variables.reference_twin = setup.reference_twin;
  auto held = std::make_unique<TwinKeeper::Held>();
  for (int attempt = 1; attempt <= 2; ++attempt) {
    PortPicker picker;
    for (const auto& name : port_names(adapter)) variables.ports[name] = picker.pick();
    held->twin = instantiate(adapter, variables);
    for (const auto& [port, fd] : held->listening_udp) ::close(fd);
    held->listening_udp = picker.release_all_but_udp(loopback_udp_listen_ports(held->twin));
    const Readiness readiness = readiness_of(held->twin);
    if (readiness.probe != ReadyProbe::kLogLine && port_answers(readiness.host, readiness.port)) {
      // Whatever answers there is not the twin this case starts: a twin left over from a killed
      // run, or another program on a fixed port. Its answers would be judged as this twin's.
      ready.reason = readiness.host + ":" + std::to_string(readiness.port) +
                     " already answered before the twin was started (a twin left from an "
                     "earlier run, or another program on that port)";
      held->process.reset();
      return held;
    }
    ProcessSpec process_spec;
    process_spec.command = held->twin.command;
    process_spec.environment = held->twin.environment;
    process_spec.log = result.dir / (attempt == 1 ? "twin.log" : "twin-restart.log");
    process_spec.pid_file = held->twin.pid_file;
    held->process = std::make_unique<ChildProcess>(process_spec);
    ready = held->process->wait_ready(readiness);
    if (ready.ready || !held->process->ended()) break;
  }
  return held;
}

// The kept twin, reset for this case, or nullptr (none kept, it ended, or the reset failed).
std::unique_ptr<TwinKeeper::Held> reuse_twin(const CaseSetup& setup, TwinKeeper* keeper,
                                             CaseResult& result) {
  if (keeper == nullptr || !keeper->held) return nullptr;
  std::unique_ptr<TwinKeeper::Held> held = std::move(keeper->held);
  if (const auto how = held->process->ended()) {
    result.twin_start = "started (the kept twin had ended: " + *how + ")";
    return nullptr;
  }
  if (const auto why = reset_twin(held->twin.reset_url, setup.adapter.ready_timeout)) {
    result.twin_start = "started (the reset was refused: " + *why + ")";
    held->process->stop(held->twin.stop_grace);
    return nullptr;
  }
  result.twin_start = "reset";
  return held;
}

}  // namespace twincert::harness
