#include "twincert/hil/agent.hpp"

#include <atomic>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "twincert/base/config_error.hpp"
#include "twincert/harness/adapter.hpp"
#include "twincert/harness/case_runner.hpp"
#include "twincert/harness/child_process.hpp"
#include "twincert/harness/evidence_files.hpp"

#include <sodium.h>

namespace twincert::hil {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

// The files of a case folder an agent uploads besides its result (what the report and a
// re-judgement need); the coordinator writes case.json from the result.
constexpr std::array<const char*, 2> kUploaded{"observations.jsonl", "twin.log"};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string base64(const std::string& bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::string last_line(const fs::path& log) {
  std::string text = read_file(log);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  const auto nl = text.rfind('\n');
  text = nl == std::string::npos ? text : text.substr(nl + 1);
  return text.size() > 200 ? text.substr(0, 200) : text;
}

// Heartbeats for one lease from their own thread and connection until stopped; notes when the
// coordinator says the lease is no longer held.
class Heartbeat {
 public:
  Heartbeat(const AgentOptions& options, std::string lease, std::chrono::milliseconds every)
      : options_(options), lease_(std::move(lease)), every_(every), thread_([this] { run(); }) {}
  ~Heartbeat() {
    {
      const std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }
  Heartbeat(const Heartbeat&) = delete;
  Heartbeat& operator=(const Heartbeat&) = delete;

  std::string lost() const {
    const std::lock_guard lock(mutex_);
    return lost_;
  }

 private:
  void run() {
    Client client(options_.coordinator, options_.tls);
    std::unique_lock lock(mutex_);
    while (!stop_) {
      wake_.wait_for(lock, every_, [&] { return stop_; });
      if (stop_) break;
      lock.unlock();
      const Reply r =
          client.call({{"op", "heartbeat"}, {"rig", options_.rig.id}, {"lease", lease_}}, every_);
      lock.lock();
      if (r.ok() && r.body->value("standing", "") != "held") {
        lost_ = r.body->value("standing", "unknown");
        break;
      }
    }
  }

  const AgentOptions& options_;
  std::string lease_;
  std::chrono::milliseconds every_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::string lost_;
  std::thread thread_;
};

class Agent {
 public:
  explicit Agent(const AgentOptions& options)
      : options_(options),
        adapter_(harness::load_adapter(options.rig.adapter)),
        client_(options.coordinator, options.tls) {}

  AgentEnd run();

 private:
  void log(const std::string& line) const {
    if (options_.log) options_.log(line);
  }
  void run_lease(const json& offer);
  harness::CaseResult run_case(const json& offer, const fs::path& dir);
  void report(const std::string& lease, const harness::CaseResult& result);

  const AgentOptions& options_;
  harness::TwinAdapter adapter_;
  Client client_;
};

AgentEnd Agent::run() {
  auto idle_since = Clock::now();
  bool check = true;
  const auto idle_too_long = [&] { return Clock::now() - idle_since > options_.wait_timeout; };
  for (;;) {
    if (check) {
      const std::string problem =
          check_health(options_.rig, options_.reference_twin, options_.work_dir / "health.log",
                       options_.health_timeout);
      const Reply hello = client_.call({{"op", "hello"},
                                        {"rig", options_.rig.id},
                                        {"healthy", problem.empty()},
                                        {"detail", problem}},
                                       std::chrono::seconds(30));
      if (!hello.ok() && hello.error.kind == WireError::Kind::kAuthentication) {
        log(hello.error.message);
        return AgentEnd::kRefused;
      }
      if (hello.ok() && hello.body->value("refused", false)) {
        log("refused: " + hello.body->value("error", ""));
        return AgentEnd::kRefused;
      }
      if (!hello.ok()) log(hello.error.message);
      if (!problem.empty()) log("health check failed: " + problem + "; taking no work");
      check = !hello.ok() || !problem.empty();
    }
    if (!check) {
      const Reply r =
          client_.call({{"op", "lease"}, {"rig", options_.rig.id}}, std::chrono::seconds(30));
      if (r.ok() && r.body->value("done", false)) return AgentEnd::kDone;
      if (r.ok() && r.body->contains("lease")) {
        run_lease(*r.body);
        idle_since = Clock::now();
        check = true;  // before the next case, as before the first
        continue;
      }
      if (r.ok() && r.body->contains("error")) log("coordinator: " + r.body->value("error", ""));
      if (!r.ok()) log(r.error.message);
    }
    if (idle_too_long()) {
      log("no case to run for " + std::to_string(options_.wait_timeout.count()) + " s; giving up");
      return AgentEnd::kNoWork;
    }
    std::this_thread::sleep_for(options_.poll);
  }
}

harness::CaseResult Agent::run_case(const json& offer, const fs::path& dir) {
  const json& c = offer.at("case");
  harness::CaseSpec spec = harness::case_spec_from_json(c, "the coordinator's case");
  if (c.contains("scenario_json")) {  // a campaign's own scenario file, sent along
    spec.scenario = (dir / "scenario.json").string();
    std::ofstream(spec.scenario) << c["scenario_json"].get<std::string>();
  }
  harness::CaseSetup setup;
  setup.adapter = adapter_;
  setup.rules = harness::rules_from_json(offer.at("rules"), "the coordinator's rules");
  setup.timeout =
      std::chrono::milliseconds(static_cast<long long>(1000.0 * offer.value("timeout_s", 120.0)));
  setup.cases_dir = dir;
  setup.reference_twin = options_.reference_twin;
  setup.tool = options_.tool;
  try {
    return harness::run_case(spec, setup);
  } catch (const ConfigError& e) {  // a scenario or fault this build refuses
    harness::CaseResult r;
    r.spec = spec;
    r.status = "error";
    r.error = e.what();
    r.dir = dir;
    return r;
  }
}

void Agent::run_lease(const json& offer) {
  const std::string lease = offer.at("lease").get<std::string>();
  const std::string id = offer.at("case").at("id").get<std::string>();
  const fs::path dir = options_.work_dir / lease;
  fs::remove_all(dir);
  fs::create_directories(dir);
  log("running " + id + " (" + lease + ")");
  const auto every = std::chrono::milliseconds(
      static_cast<long long>(1000.0 * std::max(0.2, offer.value("heartbeat_s", 5.0))));
  harness::CaseResult result;
  std::string lost;
  {
    const Heartbeat heartbeat(options_, lease, every);
    try {
      result = run_case(offer, dir);
    } catch (const std::exception& e) {
      result.spec.id = id;
      result.status = "error";
      result.error = std::string("the agent could not run the case: ") + e.what();
    }
    lost = heartbeat.lost();
  }
  if (!lost.empty()) {
    log(id + ": the lease is " + lost + "; not reporting (the case went elsewhere)");
    return;
  }
  report(lease, result);
}

void Agent::report(const std::string& lease, const harness::CaseResult& result) {
  json files = json::object();
  for (const char* name : kUploaded) {
    if (fs::exists(result.dir / name)) files[name] = base64(read_file(result.dir / name));
  }
  const json request = {{"op", "complete"},
                        {"rig", options_.rig.id},
                        {"lease", lease},
                        {"result", harness::to_json(result)},
                        {"files", files}};
  // The coordinator may be restarting: try for a lease period before giving the result up.
  for (int attempt = 0; attempt < 10; ++attempt) {
    const Reply r = client_.call(request, std::chrono::seconds(60));
    if (r.ok()) {
      if (r.body->value("accepted", false)) {
        log(result.spec.id + ": " + r.body->value("verdict", "") + " (reported)");
      } else {
        log(result.spec.id +
            ": not accepted: " + r.body->value("reason", r.body->value("error", "")));
      }
      return;
    }
    log(r.error.message);
    if (r.error.kind == WireError::Kind::kAuthentication) return;
    std::this_thread::sleep_for(options_.poll);
  }
}

}  // namespace

std::string check_health(const Rig& rig, const fs::path& reference_twin, const fs::path& log,
                         std::chrono::seconds timeout) {
  harness::AdapterVariables vars;
  vars.reference_twin = reference_twin;
  harness::ProcessSpec spec;
  try {
    for (const std::string& part : rig.health_check) {
      spec.command.push_back(harness::expand(part, vars));
    }
    spec.log = log;
    fs::create_directories(log.parent_path());
    harness::ChildProcess check(spec);
    const auto until = Clock::now() + timeout;
    while (Clock::now() < until) {
      if (const auto ended = check.ended()) {
        if (*ended == "exited with status 0") return "";
        const std::string why = last_line(log);
        return *ended + (why.empty() ? "" : ": " + why);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    check.stop(std::chrono::milliseconds(500));
    return "did not finish within " + std::to_string(timeout.count()) + " s";
  } catch (const ConfigError& e) {
    return e.what();
  }
}

AgentEnd run_agent(const AgentOptions& options) {
  if (options.rig.adapter.empty()) {
    throw ConfigError("rig " + options.rig.id +
                      " has no \"adapter\": the agent needs one to drive its device");
  }
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot start");
  fs::create_directories(options.work_dir);
  Agent agent(options);
  return agent.run();
}

}  // namespace twincert::hil
