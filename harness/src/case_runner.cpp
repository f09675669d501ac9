#include "twincert/harness/case_runner.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <csignal>
#include <deque>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "twincert/base/config_error.hpp"
#include "twincert/base/json_fields.hpp"
#include "twincert/generators/bundle.hpp"
#include "twincert/generators/faults.hpp"
#include "twincert/generators/scenario.hpp"
#include "twincert/harness/evidence_files.hpp"
#include "twincert/harness/replay.hpp"
#include "twincert/harness/replay_plan.hpp"
#include "twincert/harness/stream_clock.hpp"
#include "twincert/harness/target.hpp"
#include "twincert/rules/evaluate.hpp"

#include "asio.hpp"
#include "http_client.hpp"
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace twincert::harness {

struct TwinKeeper::Held {
  Held() = default;
  Held(const Held&) = delete;
  Held& operator=(const Held&) = delete;
  ~Held() {
    for (const auto& [port, fd] : listening_udp) ::close(fd);
  }
  TwinAdapter twin;  // placeholders filled in
  std::unique_ptr<ChildProcess> process;
  // The observer's UDP ports on loopback, bound before the twin started and kept with it.
  std::map<std::uint16_t, int> listening_udp;
};

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

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

// Kills the twin when the case runs out of time: that unblocks a replay stuck on a twin that
// stopped reading, and the case ends as an error instead of a hang.
class Watchdog {
 public:
  Watchdog(std::chrono::milliseconds timeout, pid_t pid, std::atomic<bool>& expired)
      : thread_([this, timeout, pid, &expired] {
          std::unique_lock lock(mutex_);
          if (!done_cv_.wait_for(lock, timeout, [this] { return done_; })) {
            expired = true;
            ::kill(-pid, SIGKILL);  // the twin's whole process group
          }
        }) {}
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;
  ~Watchdog() {
    {
      const std::scoped_lock lock(mutex_);
      done_ = true;
    }
    done_cv_.notify_all();
    thread_.join();
  }

 private:
  std::mutex mutex_;
  std::condition_variable done_cv_;
  bool done_ = false;
  std::thread thread_;
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

// A counter of the twin (a number at a JSON pointer), or nullopt when it does not answer with it.
asio::awaitable<std::optional<double>> read_counter(asio::io_context& io, const HttpUrl& url,
                                                    const std::string& pointer,
                                                    std::chrono::milliseconds timeout) {
  const auto a = co_await async_http(io, url, HttpMethod::kGet, timeout);
  const json j = json::parse(a.body, nullptr, false);
  try {
    if (a.status == 200 && !j.is_discarded()) {
      co_return j.at(json::json_pointer(pointer)).get<double>();
    }
  } catch (const json::exception&) {
  }
  co_return std::nullopt;
}

std::optional<double> counter_now(const HttpUrl& url, const std::string& pointer,
                                  std::chrono::milliseconds timeout) {
  asio::io_context io;
  std::optional<double> value;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> { value = co_await read_counter(io, url, pointer, timeout); },
      asio::detached);
  io.run();
  return value;
}

// The replay's flow control from the adapter's counter (one short call per question).
std::optional<FlowControl> flow_control_of(const TwinAdapter& twin) {
  if (!twin.flow) return std::nullopt;
  FlowControl f;
  f.window = twin.flow->window;
  f.stall = twin.flow->stall;
  f.taken = [url = parse_http_url(twin.flow->url), pointer = twin.flow->pointer,
             timeout = twin.flow->stall] { return counter_now(url, pointer, timeout); };
  return f;
}

// Reads a counter from the twin until it has grown by `frames` or stops moving for `quiet`.
void settle(const Settle& s, double baseline, std::size_t frames) {
  asio::io_context io;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        const auto until = Clock::now() + s.timeout;
        double last = -1.0;
        auto last_change = Clock::now();
        asio::steady_timer timer(io);
        const HttpUrl url = parse_http_url(s.url);
        while (Clock::now() < until) {
          const double v =
              (co_await read_counter(io, url, s.pointer, std::chrono::seconds(1))).value_or(-1.0);
          if (v >= baseline + static_cast<double>(frames)) co_return;
          if (v != last) {
            last = v;
            last_change = Clock::now();
          } else if (Clock::now() - last_change >= s.quiet) {
            co_return;
          }
          timer.expires_after(std::chrono::milliseconds(20));
          boost::system::error_code ec;
          co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        }
      },
      asio::detached);
  io.run();
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

std::string bundle_of(const CaseSpec& spec, const CaseSetup& setup,
                      const std::filesystem::path& dir, CaseResult& result) {
  const auto bundle = dir / "bundle";
  result.sha256 = write_case_bundle(spec, bundle, setup.tool).sha256;
  return bundle.string();
}

// The rules whose verdict rests on what a mapping with this `affects` observes.
bool rests_on(const rules::Rule& rule, const std::string& affects) {
  switch (rule.kind) {
    case rules::RuleKind::kDeadline:
    case rules::RuleKind::kRecovery:
    case rules::RuleKind::kNoFalseAlarm:
      return affects == "alerts";
    case rules::RuleKind::kTargets:
      return affects == "targets";
    case rules::RuleKind::kAccuracy:
      return affects == rule.quantity;
    default:
      return false;
  }
}

// A verdict that rests on a mapping that never found what it points at says nothing of the
// twin: it becomes an error naming the adapter key, whether it passed or failed.
void blame_adapter(const std::vector<rules::Rule>& rules,
                   const std::vector<ObserverProblem>& problems,
                   std::vector<rules::RuleResult>& results) {
  for (std::size_t i = 0; i < rules.size() && i < results.size(); ++i) {
    for (const auto& p : problems) {
      if (p.adapter_key.empty() || !rests_on(rules[i], p.affects)) continue;
      results[i].verdict = rules::Verdict::kError;
      results[i].message = "the adapter, not the twin: " + p.what;
      results[i].evidence.clear();
      break;
    }
  }
}

// What the adapter's maps passed over — alert words no vocabulary entry maps, member names a
// keyed table's pattern does not take — said in every verdict that rests on them: a deadline
// missed, a false alarm or a target not listed may be a word nobody translated.
void note_passed_over(const std::vector<rules::Rule>& rules,
                      const std::vector<ObserverProblem>& problems,
                      std::vector<rules::RuleResult>& results) {
  for (std::size_t i = 0; i < rules.size() && i < results.size(); ++i) {
    if (results[i].verdict == rules::Verdict::kError) continue;
    std::string notes;
    for (const auto& p : problems) {
      if (p.adapter_key.empty() && !p.affects.empty() && rests_on(rules[i], p.affects)) {
        notes += (notes.empty() ? "" : "; ") + p.what + " (" + std::to_string(p.count) + " times)";
      }
    }
    if (notes.empty()) continue;
    results[i].message +=
        (results[i].message.empty() ? "(" : " (") + std::string("the adapter: ") + notes + ")";
  }
}

// The unit each judged value was read in, where the adapter says one: an accuracy verdict on
// sog_kn read in m/s says so, so a reader can tell a wrong twin from a wrong unit.
void note_units(const std::vector<rules::Rule>& rules, const Observe& observe,
                std::vector<rules::RuleResult>& results) {
  std::map<std::string, std::string> read_in;  // quantity -> "m/s (observe.http[0].values.sog_kn)"
  const auto collect = [&](const std::vector<JsonValueMap>& maps, const std::string& key) {
    for (const auto& m : maps) {
      if (m.transform.unit.empty()) continue;
      read_in.try_emplace(m.name, m.transform.unit + " (" + key + ".values." + m.name + ")");
    }
  };
  for (std::size_t i = 0; i < observe.http.size(); ++i) {
    collect(observe.http[i].values, "observe.http[" + std::to_string(i) + "]");
  }
  for (std::size_t i = 0; i < observe.json_lines.size(); ++i) {
    const auto& stream = observe.json_lines[i];
    collect(stream.values,
            stream.key.empty() ? "observe.json_lines[" + std::to_string(i) + "]" : stream.key);
  }
  for (const auto& m : observe.sentences.values) {
    if (m.transform.unit.empty()) continue;
    read_in.try_emplace(m.name, m.transform.unit + " (observe.sentences.values." + m.name + ")");
  }
  for (std::size_t i = 0; i < rules.size() && i < results.size(); ++i) {
    if (rules[i].kind != rules::RuleKind::kAccuracy) continue;
    const auto it = read_in.find(rules[i].quantity);
    if (it == read_in.end() || results[i].verdict == rules::Verdict::kError) continue;
    results[i].message += "; read in " + it->second;
  }
}

// What a case error makes of the verdicts: a failure found stays a failure; a pass or an
// inconclusive verdict on a broken run is no evidence, so it becomes an error with the reason.
void mark_errors(CaseResult& result) {
  for (auto& r : result.rules) {
    if (r.verdict == rules::Verdict::kFail) continue;
    r.verdict = rules::Verdict::kError;
    r.message = "case error: " + result.error;
  }
}

void observe_and_replay(const TwinKeeper::Held& held, const CaseSetup& setup,
                        const std::filesystem::path& bundle, CaseResult& result,
                        const Clock::time_point started) {
  const TwinAdapter& twin = held.twin;
  ChildProcess& process = *held.process;
  ReplayPlan plan = load_plan(bundle);
  const rules::Truth truth = load_truth(bundle);
  result.frames = plan.frames.size();
  std::vector<Route> routes;
  for (const auto& r : twin.send) {
    routes.push_back({r.sources, parse_target(r.to)});
    if (const auto why = check_target_allowed(routes.back().target); why && !setup.allow_external) {
      throw ConfigError("adapter " + setup.adapter.origin.string() + ": send " + r.to + ": " +
                        *why);
    }
  }
  StreamClock stream_clock;
  ObserverClock clock;
  clock.start_unix_s = truth.start_unix_s;
  clock.time = twin.time;
  clock.position = [&stream_clock] { return stream_clock.now(); };
  Observer observer(twin.observe, clock, &process);
  for (const auto& [port, fd] : held.listening_udp) observer.adopt_udp_socket(port, fd);
  observer.start();

  // The counter before the replay: a twin kept from an earlier case has counted that one too.
  const double settle_baseline = twin.settle
                                     ? counter_now(parse_http_url(twin.settle->url),
                                                   twin.settle->pointer, std::chrono::seconds(1))
                                           .value_or(0.0)
                                     : 0.0;
  std::atomic<bool> expired{false};
  const auto left =
      setup.timeout - std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  {
    const Watchdog watchdog(std::max(left, std::chrono::milliseconds(1)), process.pid(), expired);
    ReplayOptions options;
    options.pacing = parse_pacing(setup.pacing.empty() ? twin.pacing : setup.pacing);
    options.cancel = &expired;
    options.stream_clock = &stream_clock;
    options.connect_timeout = std::chrono::milliseconds(5000);
    options.flow = flow_control_of(twin);
    if (!twin.observe.http.empty() || twin.observe.alerts || twin.observe.targets) {
      options.on_sample = [&observer] { return observer.sample(); };  // at virtual pace
      options.sample_every_s = twin.observe.sample_every_s;
    }
    try {
      const auto report = replay(plan.frames, routes, options);
      result.send_errors = report.send_errors;
      result.flow_waits = report.flow_waits;
      result.flow_gave_up = report.flow_gave_up;
      result.replay_s = report.duration_s;
      result.lateness_p99_us = report.lateness.p99_us;
      result.lateness_max_us = report.lateness.max_us;
    } catch (const ConfigError& e) {
      result.status = "error";
      result.error = std::string("the replay could not reach the twin: ") + e.what();
    }
    stream_clock.settle_at(truth.duration_s);  // unpaced: the stream has ended; paced runs on
    if (twin.settle && result.status != "error" && !expired) {
      settle(*twin.settle, settle_baseline, result.frames);
    }
    observer.finish();
  }
  if (setup.inspect) setup.inspect(observer);
  result.rules = rules::evaluate_all(setup.rules, truth, observer.observations());
  attach_frames(result.rules, plan.frames);
  result.problems = observer.problems();
  blame_adapter(setup.rules, result.problems, result.rules);
  note_passed_over(setup.rules, result.problems, result.rules);
  note_units(setup.rules, twin.observe, result.rules);
  write_observations(result.dir / "observations.jsonl", observer.observations());
  const auto& o = observer.observations();
  result.observations = o.alerts.size() + o.values.size() + o.sentences.size() +
                        o.heartbeats_s.size() + o.probes.size();
  std::string wrong;
  for (const auto& p : result.problems) {
    if (!p.misbehaviour) continue;
    wrong += (wrong.empty() ? "" : "; ") + p.what + " (" + std::to_string(p.count) +
             " times, first at t=" + std::to_string(static_cast<long>(p.first_t_s)) + " s)";
  }
  if (!wrong.empty() && result.status != "error") {
    result.status = "error";
    result.error = "the twin answered wrongly: " + wrong;
  }
  if (expired && result.status != "error") {
    result.status = "error";
    result.error = "the case ran out of time (" + std::to_string(setup.timeout.count()) +
                   " ms); the twin was killed";
  }
}

}  // namespace

generators::BundleSummary write_case_bundle(const CaseSpec& spec, const std::filesystem::path& dir,
                                            const std::string& tool) {
  generators::Scenario scenario = generators::load_scenario(spec.scenario);
  if (spec.duration_s > 0.0) scenario.duration_s = spec.duration_s;
  for (const auto& f : spec.faults) generators::add_fault(scenario, generators::parse_fault(f));
  generators::BundleOptions options;
  options.seed = spec.seed;
  options.duration_s = spec.duration_s;
  options.out_dir = dir;
  options.tool = tool;
  return generators::write_bundle(scenario, options);
}

std::string folder_name_of(const std::string& case_id) {
  std::string out = case_id;
  for (char& c : out) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '.' || c == '+' || c == '@';
    if (!plain) c = '_';
  }
  return out;
}

TwinKeeper::TwinKeeper() = default;

TwinKeeper::~TwinKeeper() {
  if (held) held->process->stop(held->twin.stop_grace);
}

namespace {

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

// Runs the case on a started twin, then keeps the twin for the next case (`keeper`) or stops
// its whole process group.
void end_twin(std::unique_ptr<TwinKeeper::Held> held, const CaseSetup& setup,
              const std::string& bundle, const ReadyResult& ready, TwinKeeper* keeper,
              CaseResult& result, Clock::time_point started) {
  const TwinAdapter& twin = held->twin;
  ChildProcess& process = *held->process;
  if (!ready.ready) {
    result.status = "error";
    result.error = "the twin never became ready: " + ready.reason;
    result.rules = rules::evaluate_all(setup.rules, {}, {});
  } else {
    observe_and_replay(*held, setup, bundle, result, started);
  }
  if (const auto how = process.ended(); how && result.status != "error") {
    result.status = "error";
    result.error = "the twin ended during the case: " + *how;
  }
  result.twin_end = process.ended().value_or("");
  if (result.twin_end.empty() && keeper != nullptr && result.status != "error") {
    result.twin_end = "kept for the next case";
    keeper->held = std::move(held);
  } else if (result.twin_end.empty()) {
    result.twin_end = process.stop(twin.stop_grace);
    if (result.twin_end.starts_with("exited") ||
        result.twin_end.starts_with("killed by signal 15")) {
      result.twin_end = "stopped (" + result.twin_end + ")";
    }
  }
}

}  // namespace

CaseResult run_case(const CaseSpec& spec, const CaseSetup& setup, TwinKeeper* keeper) {
  const auto started = Clock::now();
  CaseResult result;
  result.spec = spec;
  result.dir = setup.cases_dir / folder_name_of(spec.id);
  std::filesystem::remove_all(result.dir);
  std::filesystem::create_directories(result.dir);
  const std::string bundle = bundle_of(spec, setup, result.dir, result);

  const bool keep = keeper != nullptr && setup.adapter.between_cases == BetweenCases::kReset;
  ReadyResult ready;
  std::unique_ptr<TwinKeeper::Held> held = keep ? reuse_twin(setup, keeper, result) : nullptr;
  if (held) {
    ready.ready = true;
  } else {
    held = start_twin(setup, result, ready);
    if (result.twin_start.empty()) result.twin_start = "started";
  }
  if (!held->process) {  // not started: its port was taken
    result.status = "error";
    result.error = "the twin was not started: " + ready.reason;
    result.rules = rules::evaluate_all(setup.rules, {}, {});
  } else {
    end_twin(std::move(held), setup, bundle, ready, keep ? keeper : nullptr, result, started);
  }
  if (result.status == "error") mark_errors(result);
  result.wall_s = seconds_since(started);
  std::ofstream(result.dir / "case.json")
      << to_json(result).dump(2, ' ', false, json::error_handler_t::replace) << '\n';
  return result;
}

std::string case_verdict(const CaseResult& result) {
  bool failed = false;
  for (const auto& r : result.rules) {
    if (r.verdict == rules::Verdict::kError) return "error";
    failed = failed || r.verdict == rules::Verdict::kFail;
  }
  if (result.status == "error") return "error";
  return failed ? "fail" : "pass";
}

json to_json(const CaseResult& r) {
  json rules = json::array();
  for (const auto& x : r.rules) rules.push_back(to_json(x));
  json problems = json::array();
  for (const auto& p : r.problems) {
    json problem = {{"what", p.what},
                    {"misbehaviour", p.misbehaviour},
                    {"count", p.count},
                    {"first_t", p.first_t_s}};
    if (!p.adapter_key.empty()) problem["adapter_key"] = p.adapter_key;
    if (!p.affects.empty()) problem["affects"] = p.affects;
    problems.push_back(std::move(problem));
  }
  json j = to_json(r.spec);
  j.update(json{{"verdict", case_verdict(r)},
                {"status", r.status},
                {"error", r.error},
                {"rules", std::move(rules)},
                {"problems", std::move(problems)},
                {"dir", r.dir.string()},
                {"wall_s", r.wall_s},
                {"frames", r.frames},
                {"send_errors", r.send_errors},
                {"flow_waits", r.flow_waits},
                {"flow_gave_up", r.flow_gave_up},
                {"replay_s", r.replay_s},
                {"lateness_us", {{"p99", r.lateness_p99_us}, {"max", r.lateness_max_us}}},
                {"observations", r.observations},
                {"twin_start", r.twin_start},
                {"twin_end", r.twin_end},
                {"sha256", r.sha256}});
  return j;
}

json to_json(const CaseSpec& spec) {
  return {{"id", spec.id},     {"scenario", spec.scenario},     {"faults", spec.faults},
          {"seed", spec.seed}, {"duration_s", spec.duration_s}, {"repetition", spec.repetition}};
}

CaseSpec case_spec_from_json(const json& j, const std::string& where) {
  using json_fields::field;
  CaseSpec s;
  s.id = field<std::string>(j, "id", where);
  s.scenario = field<std::string>(j, "scenario", where);
  s.faults = field<std::vector<std::string>>(j, "faults", where);
  s.seed = field<std::uint64_t>(j, "seed", where);
  s.duration_s = field<double>(j, "duration_s", where);
  s.repetition = field<int>(j, "repetition", where);
  return s;
}

CaseResult case_result_from_json(const json& j) {
  using json_fields::field;
  const std::string where = "case result";
  CaseResult r;
  r.spec = case_spec_from_json(j, where);
  r.status = field<std::string>(j, "status", where);
  r.error = field<std::string>(j, "error", where);
  for (const json& x : field<json>(j, "rules", where)) {
    rules::RuleResult rr;
    rr.rule_id = field<std::string>(x, "rule", where);
    rr.requirements = field<std::vector<std::string>>(x, "requirements", where);
    const auto verdict = field<std::string>(x, "verdict", where);
    for (const auto v : {rules::Verdict::kPass, rules::Verdict::kFail,
                         rules::Verdict::kInconclusive, rules::Verdict::kError}) {
      if (rules::name_of(v) == verdict) rr.verdict = v;
    }
    rr.message = field<std::string>(x, "message", where);
    if (x.contains("coverage")) rr.coverage = coverage_from_json(x["coverage"], where);
    for (const json& e : field<json>(x, "evidence", where)) {
      rr.evidence.push_back(
          {field<double>(e, "t", where), field<std::string>(e, "expected", where),
           field<std::string>(e, "observed", where),
           json_fields::optional_field<std::vector<std::string>>(e, "frames", {}, where)});
    }
    r.rules.push_back(std::move(rr));
  }
  for (const json& p : field<json>(j, "problems", where)) {
    r.problems.push_back({field<std::string>(p, "what", where),
                          field<bool>(p, "misbehaviour", where),
                          field<std::size_t>(p, "count", where), field<double>(p, "first_t", where),
                          json_fields::optional_field<std::string>(p, "adapter_key", "", where),
                          json_fields::optional_field<std::string>(p, "affects", "", where)});
  }
  r.dir = field<std::string>(j, "dir", where);
  r.wall_s = field<double>(j, "wall_s", where);
  r.frames = field<std::size_t>(j, "frames", where);
  r.send_errors = field<std::size_t>(j, "send_errors", where);
  r.flow_waits = json_fields::optional_field<std::size_t>(j, "flow_waits", 0, where);
  r.flow_gave_up = json_fields::optional_field<bool>(j, "flow_gave_up", false, where);
  r.replay_s = field<double>(j, "replay_s", where);
  const auto lateness = json_fields::optional_field<json>(j, "lateness_us", json::object(), where);
  r.lateness_p99_us = json_fields::optional_field<double>(lateness, "p99", 0.0, where);
  r.lateness_max_us = json_fields::optional_field<double>(lateness, "max", 0.0, where);
  r.observations = field<std::size_t>(j, "observations", where);
  r.twin_start = json_fields::optional_field<std::string>(j, "twin_start", "", where);
  r.twin_end = field<std::string>(j, "twin_end", where);
  r.sha256 = field<std::map<std::string, std::string>>(j, "sha256", where);
  return r;
}

}  // namespace twincert::harness
