// A rig agent (`twincert hil agent`): runs beside a rig, checks the rig's health before it
// takes work (as LAVA does), leases one case at a time from the coordinator, runs it through
// the harness into the device as the rig's adapter says (serial lines, 450 network), keeps the
// lease alive with heartbeats while it runs, and uploads the verdict with the case's
// observations. A lease the coordinator gave up on (expired, cancelled) is not reported: the
// case went elsewhere.
// Thread use: run_agent() blocks its caller and, while a lease runs, heartbeats from one more
// thread of its own with its own connection, joined before the result is reported. One agent per
// rig; check_health() keeps no state and is thread-safe.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>

#include "twincert/hil/rigs.hpp"
#include "twincert/hil/wire.hpp"

namespace twincert::hil {

struct AgentOptions {
  Rig rig;  // with its adapter
  Endpoint coordinator;
  TlsFiles tls;
  std::filesystem::path work_dir;  // each lease gets a folder here
  std::filesystem::path reference_twin;
  std::string tool;  // recorded in each bundle's manifest
  // With no case to run (the queue waits for other rigs, the coordinator unreachable, the
  // rig unhealthy) for this long, give up.
  std::chrono::seconds wait_timeout{600};
  std::chrono::milliseconds poll{1000};
  std::chrono::seconds health_timeout{60};
  std::function<void(const std::string&)> log;
};

enum class AgentEnd : std::uint8_t {
  kDone,     // the coordinator has no more cases
  kNoWork,   // nothing to run within the wait timeout
  kRefused,  // the coordinator refused this agent (its certificate, the rig it acts for), or
             // the agent refused the coordinator's certificate
};

// Throws ConfigError for a rig without an adapter or bad TLS files.
AgentEnd run_agent(const AgentOptions& options);

// Runs the rig's health check (${reference_twin} filled in) with a timeout: "" when it passed,
// or why not ("exited with status 1: no device on /dev/ttyUSB0").
std::string check_health(const Rig& rig, const std::filesystem::path& reference_twin,
                         const std::filesystem::path& log, std::chrono::seconds timeout);

}  // namespace twincert::hil
