#include "case_replay.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <thread>

#include "twincert/base/config_error.hpp"
#include "twincert/harness/evidence_files.hpp"
#include "twincert/harness/replay.hpp"
#include "twincert/harness/replay_plan.hpp"
#include "twincert/harness/stream_clock.hpp"
#include "twincert/harness/target.hpp"

#include "asio.hpp"
#include "case_verdicts.hpp"
#include "http_client.hpp"

namespace twincert::harness {

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

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

}  // namespace

void observe_and_replay(const TwinKeeper::Held& held, const CaseSetup& setup,
                        const std::filesystem::path& bundle, CaseResult& result,
                        const std::chrono::steady_clock::time_point started) {
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
  result.problems = observer.problems();
  result.rules = judge(setup.rules, twin.observe, truth, observer.observations(), plan.frames,
                       result.problems);
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

}  // namespace twincert::harness
