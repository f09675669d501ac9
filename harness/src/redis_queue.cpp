// The Redis Streams work queue over hiredis's synchronous context (work_queue.hpp says why).
#include <algorithm>
#include <array>
#include <cerrno>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "twincert/base/config_error.hpp"
#include "twincert/base/files.hpp"
#include "twincert/harness/evidence_files.hpp"
#include "twincert/harness/work_queue.hpp"
#include "twincert/rules/evaluate.hpp"

#include "case_verdicts.hpp"
#include "redis_reply.hpp"
#include <hiredis/hiredis.h>
#include <pthread.h>
#include <unistd.h>

namespace twincert::harness {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Type = RedisReply::Type;
using Args = std::vector<std::string>;

// The connection went away or the server cannot serve yet (LOADING after a restart). Internal:
// each loop that talks to Redis catches it at its root, reconnects and starts its step again —
// one catch instead of a check after each of a dozen calls. Never leaves this file.
struct QueueDown {
  std::string why;
};

bool transient(const RedisReply& r) {
  return r.type == Type::kError &&
         (r.text.starts_with("LOADING") || r.text.starts_with("MASTERDOWN") ||
          r.text.starts_with("TRYAGAIN") || r.text.starts_with("BUSY "));
}

// One synchronous connection, owned by one thread.
class Redis {
 public:
  // Connects, authenticates and selects the database. A refused or timed-out connection is
  // QueueDown (try again later); refused credentials are ConfigError (trying again is no use).
  // The thread that owns the connection keeps SIGPIPE blocked: a write to a Redis that went
  // away then fails with EPIPE (and a reconnect) instead of ending the process. Twins started
  // from this thread clear their signal mask before exec (child_process.cpp).
  explicit Redis(const QueueOptions& o) {
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
    const timeval connect_timeout{5, 0};
    c_ = redisConnectWithTimeout(o.address.host.c_str(), o.address.port, connect_timeout);
    if (c_ == nullptr) throw QueueDown{"out of memory"};
    if (c_->err != 0) {
      const std::string why = c_->errstr;
      redisFree(c_);
      throw QueueDown{"cannot connect to " + o.address.text() + ": " + why};
    }
    // A blocking read waits at most kBlock; anything longer is a dead connection.
    const timeval command_timeout{15, 0};
    redisSetTimeout(c_, command_timeout);
    redisEnableKeepAlive(c_);
    try {
      if (!o.credentials.password.empty()) {
        Args auth{"AUTH"};
        if (!o.credentials.user.empty()) auth.push_back(o.credentials.user);
        auth.push_back(o.credentials.password);
        const RedisReply r = call(auth);
        if (r.type == Type::kError) {
          // The server's words (WRONGPASS ...) never echo the password.
          throw ConfigError("Redis at " + o.address.text() + " refused the credentials (" + r.text +
                            "); they come from TWINCERT_REDIS_USER, " +
                            "TWINCERT_REDIS_PASSWORD or --password-file");
        }
      }
      const RedisReply r = call({"SELECT", std::to_string(o.address.db)});
      if (r.type == Type::kError) {
        if (r.text.starts_with("NOAUTH") || r.text.starts_with("NOPERM")) {
          throw ConfigError("Redis at " + o.address.text() + " wants credentials (" + r.text +
                            "): set TWINCERT_REDIS_USER and TWINCERT_REDIS_PASSWORD, or pass " +
                            "--password-file");
        }
        throw ConfigError("Redis at " + o.address.text() + ": SELECT " +
                          std::to_string(o.address.db) + ": " + r.text);
      }
    } catch (...) {
      redisFree(c_);
      throw;
    }
  }
  Redis(const Redis&) = delete;
  Redis& operator=(const Redis&) = delete;
  ~Redis() { redisFree(c_); }

  // One command. Throws QueueDown when the connection broke or the server is not ready; an
  // error reply of the command itself is returned as a kError reply.
  RedisReply call(const Args& args) { return pipeline({args}).front(); }

  // Several commands in one round trip.
  std::vector<RedisReply> pipeline(const std::vector<Args>& commands) {
    for (const auto& args : commands) {
      std::vector<const char*> argv;
      std::vector<std::size_t> lengths;
      for (const auto& a : args) {
        argv.push_back(a.data());
        lengths.push_back(a.size());
      }
      if (redisAppendCommandArgv(c_, static_cast<int>(argv.size()), argv.data(), lengths.data()) !=
          REDIS_OK) {
        throw QueueDown{std::string("cannot send to Redis: ") + c_->errstr};
      }
    }
    std::vector<RedisReply> out;
    out.reserve(commands.size());
    for (std::size_t i = 0; i < commands.size(); ++i) {
      void* raw = nullptr;
      if (redisGetReply(c_, &raw) != REDIS_OK || raw == nullptr) {
        throw QueueDown{std::string("lost Redis: ") + (c_->err != 0 ? c_->errstr : "no reply")};
      }
      const std::unique_ptr<redisReply, void (*)(void*)> reply(static_cast<redisReply*>(raw),
                                                               freeReplyObject);
      out.push_back(detail::copy_reply(*reply));
    }
    for (const auto& r : out) {
      if (transient(r)) throw QueueDown{"Redis is not ready: " + r.text};
    }
    return out;
  }

 private:
  redisContext* c_ = nullptr;
};

// A command whose error reply means a bug or a foreign key, not a passing state.
RedisReply expect(Redis& redis, const Args& args) {
  RedisReply r = redis.call(args);
  if (r.type == Type::kError) throw QueueDown{args.front() + " " + args.at(1) + ": " + r.text};
  return r;
}

void log_to(const QueueOptions& o, const std::string& line) {
  if (o.log) o.log(line);
}

// Waits up to `d` or until `stop` is set, in small steps (a signal handler only sets a flag).
void pause_for(std::chrono::milliseconds d, const std::atomic<bool>* stop) {
  const auto until = std::chrono::steady_clock::now() + d;
  while (std::chrono::steady_clock::now() < until && (stop == nullptr || !stop->load())) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

std::string random_hex(std::size_t n) {
  std::random_device device;
  std::string out;
  constexpr std::string_view kDigits = "0123456789abcdef";
  while (out.size() < n) out += kDigits[device() % 16U];
  return out;
}

std::string host_name() {
  std::array<char, 256> name{};
  if (::gethostname(name.data(), name.size() - 1) != 0) return "host";
  return name.data();
}

// The files of a case folder, by path relative to it.
std::vector<std::pair<std::string, std::string>> folder_files(const fs::path& dir) {
  std::vector<std::pair<std::string, std::string>> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    out.emplace_back(it->path().lexically_relative(dir).generic_string(), bytes.str());
  }
  return out;
}

// A case that never ran to the end, with every rule in error: what a local run records for a
// case whose twin could not be started.
CaseResult error_case(const CaseSpec& spec, const std::vector<rules::Rule>& rules,
                      std::string why) {
  CaseResult r;
  r.spec = spec;
  r.status = "error";
  r.error = std::move(why);
  r.rules = rules::evaluate_all(rules, {}, {});
  mark_errors(r);
  return r;
}

void write_case_json(const CaseResult& r) {
  std::ofstream(r.dir / "case.json")
      << to_json(r).dump(2, ' ', false, json::error_handler_t::replace) << '\n';
}

// ---------------------------------------------------------------------------------------------
// Worker

// What a worker knows of one run on the queue: its campaign loaded, or why it cannot run it.
struct RunState {
  QueueKeys keys;
  std::string why_not;  // non-empty: this worker cannot run the run's cases
  Campaign campaign;
  CaseSetup setup;
  std::map<std::string, CaseSpec> specs;
};

// A case taken from a stream, run, and waiting to be stored.
struct Taken {
  std::shared_ptr<const RunState> run;
  QueueEntry entry;
  std::uint64_t deliveries = 1;
  std::string consumer;
  std::optional<CaseResult> result;  // empty: stored already by someone (just acknowledge)
};

class Worker {
 public:
  explicit Worker(const WorkerOptions& o) : o_(o), base_name_(o.name) {
    if (base_name_.empty()) base_name_ = host_name() + ":" + std::to_string(::getpid());
  }

  WorkerStats run() {
    std::vector<std::thread> threads;
    threads.reserve(o_.jobs);
    for (unsigned j = 1; j <= std::max(1U, o_.jobs); ++j) {
      threads.emplace_back([this, j] { job(j); });
    }
    std::thread keeper([this] { keep_alive(); });
    for (auto& t : threads) t.join();
    {
      const std::scoped_lock lock(mutex_);
      jobs_done_ = true;
    }
    wake_.notify_all();
    keeper.join();
    if (fatal_) std::rethrow_exception(fatal_);
    return stats_;
  }

 private:
  bool stopping() const { return o_.stop->load() || stop_all_.load(); }

  void log(const std::string& line) const { log_to(o_.queue, base_name_ + ": " + line); }

  // One job: takes a case, runs it, stores it, acknowledges it; again.
  void job(unsigned number) {
    const std::string consumer = base_name_ + ":" + std::to_string(number);
    std::unique_ptr<Redis> redis;
    std::optional<Taken> pending;  // run, not yet stored: survives a reconnect
    std::map<std::string, std::unique_ptr<TwinKeeper>> keepers;
    bool was_down = false;
    auto idle_since = std::chrono::steady_clock::now();
    while (true) {
      if (!pending && stopping()) break;
      try {
        if (!redis) {
          redis = std::make_unique<Redis>(o_.queue);
          if (was_down) log("connected again to " + o_.queue.address.text());
          was_down = false;
        }
        if (pending) {
          store(*redis, *pending);
          pending.reset();
          idle_since = std::chrono::steady_clock::now();
          continue;
        }
        auto taken = take(*redis, consumer);
        if (!taken) {
          if (o_.idle_exit.count() > 0 &&
              std::chrono::steady_clock::now() - idle_since > o_.idle_exit) {
            break;
          }
          continue;
        }
        idle_since = std::chrono::steady_clock::now();
        auto& keeper = keepers[taken->run->keys.prefix];
        if (!keeper) keeper = std::make_unique<TwinKeeper>();
        run_taken(*redis, *taken, number, *keeper);
        pending = std::move(taken);
      } catch (const QueueDown& e) {
        redis.reset();
        if (!was_down) log(e.why + "; trying again");
        was_down = true;
        pause_for(std::chrono::milliseconds(500), pending ? nullptr : o_.stop);
      } catch (...) {
        const std::scoped_lock lock(mutex_);
        if (!fatal_) fatal_ = std::current_exception();
        stop_all_ = true;
        break;
      }
    }
  }

  // The run's state, loaded once per worker: its campaign must be readable here with the same
  // digest as the collector's.
  std::shared_ptr<const RunState> run_state(Redis& redis, const std::string& prefix) {
    {
      const std::scoped_lock lock(mutex_);
      if (const auto it = runs_.find(prefix); it != runs_.end()) return it->second;
    }
    const RedisReply meta = expect(redis, {"HGETALL", QueueKeys{prefix}.meta()});
    std::map<std::string, std::string> fields;
    for (std::size_t i = 0; i + 1 < meta.elements.size(); i += 2) {
      fields[meta.elements[i].text] = meta.elements[i + 1].text;
    }
    if (!fields.contains("enqueued")) return nullptr;  // still being enqueued: later
    auto state = std::make_shared<RunState>();
    state->keys = QueueKeys{prefix};
    try {
      state->campaign = load_campaign(fields["campaign"]);
      if (state->campaign.sha256 != fields["campaign_sha256"]) {
        throw ConfigError("campaign " + fields["campaign"] +
                          " here is not the file the run was started with (its SHA-256 " +
                          "differs)");
      }
      CaseSetup& s = state->setup;
      s.adapter = load_adapter(state->campaign.adapter);
      s.rules = load_rules(state->campaign.rules);
      s.pacing = state->campaign.pacing;
      s.timeout = state->campaign.case_timeout;
      s.reference_twin = o_.reference_twin;
      s.mutant = fields["mutant"];
      s.allow_external = o_.allow_external;
      s.tool = o_.tool;
      AdapterVariables variables;
      variables.reference_twin = s.reference_twin;
      for (const auto& n : port_names(s.adapter)) variables.ports[n] = 1;
      check_program(s.adapter, variables);
      for (const auto& c : state->campaign.cases) state->specs[c.id] = c;
      log("joined run " + prefix + " of campaign " + state->campaign.id);
    } catch (const ConfigError& e) {
      state->why_not = e.what();
      log("cannot take cases of run " + prefix + ": " + state->why_not);
    }
    const std::scoped_lock lock(mutex_);
    return runs_.emplace(prefix, state).first->second;
  }

  // A case to run: first one a dead worker left behind, else a new one (waiting up to a second).
  std::optional<Taken> take(Redis& redis, const std::string& consumer) {
    const RedisReply members = expect(redis, {"SMEMBERS", std::string(QueueKeys::kRuns)});
    std::vector<std::shared_ptr<const RunState>> usable;
    for (const auto& m : members.elements) {
      if (!is_queue_prefix(m.text)) continue;
      auto state = run_state(redis, m.text);
      if (state && state->why_not.empty()) usable.push_back(std::move(state));
    }
    if (usable.empty()) {
      pause_for(std::chrono::milliseconds(250), o_.stop);
      return std::nullopt;
    }
    const std::string idle = std::to_string(o_.queue.visibility.count());
    for (const auto& run : usable) {
      const RedisReply r =
          redis.call({"XAUTOCLAIM", run->keys.cases(), std::string(QueueKeys::kGroup), consumer,
                      idle, "0-0", "COUNT", "1"});
      if (r.type == Type::kError) {
        forget_if_gone(run, r);
        continue;
      }
      auto claimed = claimed_entries(r);
      if (!claimed) throw QueueDown{run->keys.cases() + ": " + claimed.error()};
      if (claimed->entries.empty()) continue;
      Taken t{run, claimed->entries.front(), 1, consumer, std::nullopt};
      const RedisReply p =
          expect(redis, {"XPENDING", run->keys.cases(), std::string(QueueKeys::kGroup), t.entry.id,
                         t.entry.id, "1"});
      auto count = delivery_count(p);
      if (!count) throw QueueDown{run->keys.cases() + ": " + count.error()};
      if (*count == 0) continue;  // acknowledged meanwhile
      t.deliveries = *count;
      log("claimed case " + t.entry.case_id + " of " + run->keys.prefix + " left by a worker " +
          "that stopped (delivery " + std::to_string(t.deliveries) + ")");
      return t;
    }
    // One stream: wait on it. Several: ask each in turn without waiting, since one
    // XREADGROUP over several streams could hand this job a case from each, and a job runs one.
    const bool wait = usable.size() == 1;
    for (const auto& run : usable) {
      Args read{"XREADGROUP", "GROUP", std::string(QueueKeys::kGroup), consumer, "COUNT", "1"};
      if (wait) read.insert(read.end(), {"BLOCK", "1000"});
      read.insert(read.end(), {"STREAMS", run->keys.cases(), ">"});
      const RedisReply r = redis.call(read);
      if (r.type == Type::kError) {
        forget_if_gone(run, r);
        continue;
      }
      auto streams = read_entries(r);
      if (!streams) throw QueueDown{run->keys.cases() + ": " + streams.error()};
      for (auto& [stream, entries] : *streams) {
        if (!entries.empty()) return Taken{run, entries.front(), 1, consumer, std::nullopt};
      }
    }
    if (!wait) pause_for(std::chrono::milliseconds(200), o_.stop);
    return std::nullopt;
  }

  // A run whose stream or group is gone (its collector finished): drop what we know of it.
  void forget_if_gone(const std::shared_ptr<const RunState>& run, const RedisReply& error) {
    if (!error.text.starts_with("NOGROUP")) return;
    const std::scoped_lock lock(mutex_);
    runs_.erase(run->keys.prefix);
  }

  void run_taken(Redis& redis, Taken& t, unsigned job, TwinKeeper& keeper) {
    const RunState& run = *t.run;
    const RedisReply stored = expect(redis, {"HEXISTS", run.keys.results(), t.entry.case_id});
    if (stored.integer == 1) return;  // finished by another worker: acknowledge only
    const auto spec = run.specs.find(t.entry.case_id);
    if (spec == run.specs.end()) {
      CaseSpec unknown;
      unknown.id = t.entry.case_id;
      t.result = error_case(unknown, run.setup.rules,
                            "the queue holds case \"" + t.entry.case_id + "\", which campaign " +
                                run.campaign.id + " does not have");
      return;
    }
    if (t.deliveries > o_.queue.max_attempts) {
      {
        const std::scoped_lock lock(mutex_);
        ++stats_.poisoned;
      }
      log("case " + t.entry.case_id + " was taken " + std::to_string(t.deliveries - 1) +
          " times by workers that never finished it: recorded as an error");
      t.result = error_case(spec->second, run.setup.rules,
                            "taken " + std::to_string(t.deliveries - 1) +
                                " times by workers that stopped before finishing it (crashed, "
                                "killed or lost); given up after " +
                                std::to_string(o_.queue.max_attempts) + " attempts");
      return;
    }
    CaseSetup setup = run.setup;
    setup.cases_dir = o_.work_dir / ("job" + std::to_string(job));
    track(t, true);
    log("running case " + t.entry.case_id + " (delivery " + std::to_string(t.deliveries) + ")");
    try {
      t.result = run_case(spec->second, setup, &keeper);
    } catch (const std::exception& e) {  // what a local run would stop on: the case's error here
      t.result =
          error_case(spec->second, setup.rules, std::string("the worker failed: ") + e.what());
      t.result->dir = setup.cases_dir / folder_name_of(spec->second.id);
    }
  }

  // Evidence, then the result (first one wins), then the notice, then the acknowledgement:
  // whatever point a crash stops this at, the entry is still pending or the case is recorded.
  void store(Redis& redis, Taken& t) {
    const QueueKeys& keys = t.run->keys;
    if (t.result && expect(redis, {"EXISTS", keys.meta()}).integer == 0) {
      // The collector has every case and has cleaned up: this one was finished elsewhere.
      log("run " + keys.prefix + " is over; case " + t.entry.case_id + " not stored");
      t.result.reset();
    }
    if (t.result) {
      const std::string evidence =
          keys.evidence(t.entry.case_id, t.consumer + ":" + std::to_string(t.deliveries));
      Args hset{"HSET", evidence};
      std::size_t files = 0;
      if (!t.result->dir.empty()) {
        for (auto& [path, bytes] : folder_files(t.result->dir)) {
          hset.push_back(std::move(path));
          hset.push_back(std::move(bytes));
          ++files;
        }
      }
      std::vector<Args> commands{{"DEL", evidence}};
      if (files > 0) commands.push_back(std::move(hset));
      StoredCase record{t.entry.case_id, static_cast<unsigned>(t.deliveries), t.consumer, evidence,
                        to_json(*t.result)};
      commands.push_back({"HSETNX", keys.results(), t.entry.case_id, encode_stored_case(record)});
      const auto replies = redis.pipeline(commands);
      for (const auto& r : replies) {
        if (r.type == Type::kError) throw QueueDown{"storing " + t.entry.case_id + ": " + r.text};
      }
      if (replies.back().integer == 0) {
        (void)redis.call({"DEL", evidence});
        const std::scoped_lock lock(mutex_);
        ++stats_.duplicates;
        log("case " + t.entry.case_id + " was already stored by another worker: kept theirs");
      } else {
        const std::scoped_lock lock(mutex_);
        ++stats_.ran;
        log("stored case " + t.entry.case_id + ": " + case_verdict(*t.result));
      }
    }
    const auto replies =
        redis.pipeline({{"XADD", keys.done(), "*", "case", t.entry.case_id},
                        {"XACK", keys.cases(), std::string(QueueKeys::kGroup), t.entry.id}});
    (void)replies;
    track(t, false);
    if (t.result && !t.result->dir.empty()) {
      std::error_code ec;
      fs::remove_all(t.result->dir, ec);
    }
  }

  void track(const Taken& t, bool running) {
    const std::scoped_lock lock(mutex_);
    const auto key = std::make_tuple(t.run->keys.cases(), t.entry.id, t.consumer);
    if (running) {
      running_.insert(key);
    } else {
      running_.erase(key);
    }
  }

  // Keeps running cases' entries fresh, so no other worker claims a case that is only long.
  // XCLAIM ... JUSTID resets the idle time without counting a delivery.
  void keep_alive() {
    std::unique_ptr<Redis> redis;
    const auto period = std::max(std::chrono::milliseconds(100), o_.queue.visibility / 3);
    while (true) {
      std::set<std::tuple<std::string, std::string, std::string>> running;
      {
        std::unique_lock lock(mutex_);
        wake_.wait_for(lock, period, [this] { return jobs_done_; });
        if (jobs_done_) return;
        running = running_;
      }
      if (running.empty()) continue;
      try {
        if (!redis) redis = std::make_unique<Redis>(o_.queue);
        std::vector<Args> commands;
        commands.reserve(running.size());
        for (const auto& [stream, id, consumer] : running) {
          commands.push_back(
              {"XCLAIM", stream, std::string(QueueKeys::kGroup), consumer, "0", id, "JUSTID"});
        }
        (void)redis->pipeline(commands);
      } catch (const QueueDown&) {
        redis.reset();  // the jobs say so in the log; try again next period
      } catch (const ConfigError&) {
        redis.reset();
      }
    }
  }

  const WorkerOptions& o_;
  std::string base_name_;
  std::atomic<bool> stop_all_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool jobs_done_ = false;
  std::map<std::string, std::shared_ptr<const RunState>> runs_;
  std::set<std::tuple<std::string, std::string, std::string>> running_;
  WorkerStats stats_;
  std::exception_ptr fatal_;
};

// ---------------------------------------------------------------------------------------------
// Collector

class Collector {
 public:
  Collector(const QueueOptions& o, const Campaign& campaign, const RunOptions& run,
            const std::vector<CaseSpec>& todo, const std::function<void(CaseResult)>& finished)
      : o_(o), campaign_(campaign), run_(run), finished_(finished) {
    for (const auto& c : todo) outstanding_.emplace(c.id, c);
    rules_ = load_rules(campaign.rules);
  }

  void collect() {
    std::unique_ptr<Redis> redis = connect_first();
    keys_ = keys_of_run();
    bool was_down = false;
    std::string last = "0";
    while (!outstanding_.empty()) {
      try {
        if (!redis) {
          redis = std::make_unique<Redis>(o_);
          log_to(o_, "connected again to " + o_.address.text());
        }
        if (!enqueued_) enqueue(*redis);
        const RedisReply r = expect(
            *redis, {"XREAD", "COUNT", "200", "BLOCK", "1000", "STREAMS", keys_.done(), last});
        auto streams = read_entries(r);
        if (!streams) throw QueueDown{keys_.done() + ": " + streams.error()};
        for (const auto& [stream, entries] : *streams) {
          for (const auto& e : entries) {
            record(*redis, e.case_id);
            last = e.id;
          }
        }
        was_down = false;
      } catch (const QueueDown& e) {
        redis.reset();
        enqueued_ = false;  // Redis may have come back without our keys: look again
        if (!was_down) log_to(o_, e.why + "; waiting for Redis");
        was_down = true;
        pause_for(std::chrono::milliseconds(500), nullptr);
      }
    }
    clean_up(redis);
  }

 private:
  std::unique_ptr<Redis> connect_first() {
    try {
      return std::make_unique<Redis>(o_);
    } catch (const QueueDown& e) {
      throw ConfigError(e.why + " (is redis-server running there?)");
    }
  }

  // The run's keys: the ones in OUT/queue.json when resuming the same campaign on the same
  // Redis, else new ones.
  QueueKeys keys_of_run() {
    const fs::path file = run_.out_dir / "queue.json";
    if (run_.resume && fs::exists(file)) {
      std::ifstream in(file);
      const json j = json::parse(in, nullptr, false);
      if (j.is_object() && j.value("queue", "") == o_.address.text() &&
          j.value("campaign_sha256", "") == campaign_.sha256 &&
          j.value("mutant", "") == run_.mutant && is_queue_prefix(j.value("prefix", ""))) {
        log_to(o_, "resuming run " + j.value("prefix", "") + " on " + o_.address.text());
        return QueueKeys{j.value("prefix", "")};
      }
    }
    QueueKeys keys = queue_keys(campaign_.sha256, random_hex(12));
    const json j = {{"schema", "twincert.queue-run/1"},
                    {"queue", o_.address.text()},
                    {"prefix", keys.prefix},
                    {"campaign_sha256", campaign_.sha256},
                    {"mutant", run_.mutant}};
    write_file_atomically(file, j.dump(2) + "\n");
    return keys;
  }

  // Puts the outstanding cases on the stream unless the run's metadata says they are there.
  void enqueue(Redis& redis) {
    const RedisReply flag = expect(redis, {"HGET", keys_.meta(), "enqueued"});
    if (flag.type == Type::kString) {
      enqueued_ = true;
      (void)expect(redis, {"SADD", std::string(QueueKeys::kRuns), keys_.prefix});
      return;
    }
    const RedisReply group = redis.call(
        {"XGROUP", "CREATE", keys_.cases(), std::string(QueueKeys::kGroup), "0", "MKSTREAM"});
    if (group.type == Type::kError && !group.text.starts_with("BUSYGROUP")) {
      throw QueueDown{"XGROUP CREATE " + keys_.cases() + ": " + group.text};
    }
    (void)expect(redis, {"HSET", keys_.meta(), "campaign", fs::absolute(campaign_.origin).string(),
                         "campaign_sha256", campaign_.sha256, "campaign_id", campaign_.id, "mutant",
                         run_.mutant, "cases", std::to_string(outstanding_.size())});
    std::vector<Args> adds;
    for (const auto& [id, spec] : outstanding_) {
      adds.push_back({"XADD", keys_.cases(), "*", "case", id, "attempt", "1"});
      if (adds.size() == 1000) {
        (void)redis.pipeline(adds);
        adds.clear();
      }
    }
    if (!adds.empty()) (void)redis.pipeline(adds);
    (void)expect(redis, {"HSET", keys_.meta(), "enqueued", "1"});
    (void)expect(redis, {"SADD", std::string(QueueKeys::kRuns), keys_.prefix});
    enqueued_ = true;
    log_to(o_, "enqueued " + std::to_string(outstanding_.size()) + " cases on " + keys_.cases() +
                   " at " + o_.address.text() + "; start workers with: twincert worker --queue " +
                   o_.address.text());
  }

  // One finished case, read back from Redis into OUT/cases/ as a local run writes it.
  void record(Redis& redis, const std::string& case_id) {
    const auto it = outstanding_.find(case_id);
    if (it == outstanding_.end()) return;  // recorded already, or not this run's
    const CaseSpec spec = it->second;
    const RedisReply bytes = expect(redis, {"HGET", keys_.results(), case_id});
    if (bytes.type != Type::kString) return;  // a stray notice: the result is not there
    CaseResult result;
    std::vector<EvidenceFile> files;
    std::string problem;
    auto stored = decode_stored_case(bytes.text);
    if (!stored) {
      problem = "its stored result is unreadable: " + stored.error();
    } else {
      try {
        result = case_result_from_json(stored->result);
      } catch (const ConfigError& e) {
        problem = std::string("its stored result is unreadable: ") + e.what();
      }
      if (problem.empty()) {
        auto evidence = evidence_files(expect(redis, {"HGETALL", stored->evidence_key}));
        if (evidence) {
          files = std::move(*evidence);
          evidence_keys_.push_back(stored->evidence_key);
        } else {
          problem = "its stored evidence is unreadable: " + evidence.error();
        }
      }
    }
    if (!problem.empty()) {
      log_to(o_, "case " + case_id + ": " + problem);
      result = error_case(spec, rules_, problem);
      files.clear();
    }
    result.spec = spec;  // this campaign's, with its paths
    result.dir = run_.out_dir / "cases" / folder_name_of(case_id);
    fs::remove_all(result.dir);
    fs::create_directories(result.dir);
    for (const auto& f : files) {
      write_file_atomically(result.dir / f.path, f.bytes);  // makes its folders
    }
    write_case_json(result);  // with this folder in it, as a local run's
    outstanding_.erase(it);
    finished_(std::move(result));
  }

  // Every case is in the journal: the run's keys are no longer needed.
  void clean_up(std::unique_ptr<Redis>& redis) {
    try {
      if (!redis) redis = std::make_unique<Redis>(o_);
      std::vector<Args> commands{
          {"SREM", std::string(QueueKeys::kRuns), keys_.prefix},
          {"DEL", keys_.cases(), keys_.done(), keys_.results(), keys_.meta()}};
      for (const auto& k : evidence_keys_) commands.push_back({"DEL", k});
      (void)redis->pipeline(commands);
    } catch (const QueueDown& e) {
      log_to(o_,
             "could not delete the run's keys (" + e.why + "); they stay under " + keys_.prefix);
    }
  }

  const QueueOptions& o_;
  const Campaign& campaign_;
  const RunOptions& run_;
  const std::function<void(CaseResult)>& finished_;
  std::map<std::string, CaseSpec> outstanding_;
  std::vector<rules::Rule> rules_;
  QueueKeys keys_;
  bool enqueued_ = false;
  std::vector<std::string> evidence_keys_;
};

}  // namespace

QueueCredentials read_queue_credentials(const fs::path& password_file) {
  QueueCredentials c;
  // NOLINTNEXTLINE(concurrency-mt-unsafe): read at start-up, before any thread (header says so)
  if (const char* user = std::getenv("TWINCERT_REDIS_USER")) c.user = user;
  // NOLINTNEXTLINE(concurrency-mt-unsafe): as above
  if (const char* password = std::getenv("TWINCERT_REDIS_PASSWORD")) c.password = password;
  if (!password_file.empty()) {
    std::ifstream in(password_file);
    if (!in) throw ConfigError("cannot read the password file " + password_file.string());
    std::getline(in, c.password);
    if (c.password.empty()) {
      throw ConfigError("the password file " + password_file.string() + " is empty");
    }
  }
  return c;
}

void check_queue_reachable(const QueueOptions& options) {
  if (options.address.tls) {
    throw ConfigError(
        "rediss:// (TLS) needs hiredis >= 1.0 built with hiredis_ssl; the hiredis of Debian 12 "
        "(0.14) has no TLS. Use redis:// on this host or a private network, or a TLS tunnel "
        "(stunnel, spiped) to a loopback port");
  }
  try {
    const Redis redis(options);
  } catch (const QueueDown& e) {
    throw ConfigError(e.why + " (is redis-server running there?)");
  }
}

Distribute queue_distributor(QueueOptions options) {
  return [options = std::move(options)](const Campaign& campaign, const RunOptions& run,
                                        const std::vector<CaseSpec>& todo,
                                        const std::function<void(CaseResult)>& finished) {
    Collector(options, campaign, run, todo, finished).collect();
  };
}

WorkerStats run_worker(const WorkerOptions& options) {
  return Worker(options).run();
}

}  // namespace twincert::harness
