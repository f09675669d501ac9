// The coordinator's queue of hardware-in-the-loop cases: which case a rig's agent gets, the
// lease it holds it by, and what becomes of the case when the agent stops heartbeating, is
// cancelled or reports back. Pure and clock-free (callers pass the time), so the rules below
// are tested without a network:
//   - a rig gets the pending cases planned for it, in plan order; cases planned for a rig whose
//     agent is away (not seen for a lease period) or that failed once go to any capable rig;
//   - a lease lives while heartbeats come; when they stop for `lease_s` it expires and the case
//     goes back to the queue, preferably to another rig, up to `max_attempts` times, then it is
//     marked lost;
//   - only the holder of a live lease can report a result, so an expired or cancelled attempt
//     never reaches the results and no case is in them twice;
//   - a case no capable rig takes within `reservation_timeout_s` is marked not run.
// State round-trips through JSON (hil-results.json) so a restarted coordinator resumes: what
// was finished stays, what was leased is queued again.
// Not thread-safe: one owner, the coordinator's thread.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "twincert/harness/case_runner.hpp"
#include "twincert/hil/planner.hpp"
#include "twincert/hil/rigs.hpp"

namespace twincert::hil {

enum class CaseState : std::uint8_t { kPending, kLeased, kDone, kLost, kNotRun, kCancelled };
const char* to_string(CaseState state);

struct Attempt {
  std::string rig;
  std::string lease;
  double from_unix_s = 0.0;
  double to_unix_s = 0.0;  // 0 while it runs
  std::string outcome;     // "completed", "lease expired: no heartbeat for 6 s", "cancelled", ...
};

// NOLINTNEXTLINE(bugprone-exception-escape): plain value; clang-tidy 14 misreads its copies
struct QueuedCase {
  harness::CaseSpec spec;
  HilCase needs;  // link and device, for capability
  std::string planned_rig;
  CaseState state = CaseState::kPending;
  std::string reason;  // why it is lost, not run or cancelled
  std::vector<Attempt> attempts;
  double pending_since_unix_s = 0.0;
  double last_heartbeat_unix_s = 0.0;
  // When done: what the agent reported.
  std::string rig;
  std::string verdict;  // pass, fail, error
  nlohmann::json result;
  std::map<std::string, std::string> files;  // name -> SHA-256
};

struct RigPresence {
  std::string id;
  double last_seen_unix_s = 0.0;  // 0: never
  bool healthy = true;
  std::string health_detail;
};

struct QueueOptions {
  double lease_s = 30.0;
  int max_attempts = 3;
  double reservation_timeout_s = 3600.0;
  // How often agents heartbeat: three chances before their lease expires.
  double heartbeat_s() const { return lease_s / 3.0; }
};

struct Offer {
  std::string lease;
  const QueuedCase* item = nullptr;
};

// What a lease is now, for a heartbeat or a report.
enum class LeaseStanding : std::uint8_t { kHeld, kExpired, kCancelled, kUnknown };
const char* to_string(LeaseStanding standing);

class Queue {
 public:
  // `cases` in plan order; throws ConfigError when a case names no rig of `rigs`.
  Queue(std::vector<QueuedCase> cases, std::vector<Rig> rigs, QueueOptions options,
        double now_unix_s);

  // An agent of `rig` says it is there and how its health check went.
  void seen(const std::string& rig, double now_unix_s, bool healthy, const std::string& detail);
  // The next case for `rig`, or nullopt (nothing it can take now). An unhealthy rig gets none;
  // a rig holding a lease gets none until it reports.
  std::optional<Offer> lease(const std::string& rig, double now_unix_s);
  LeaseStanding heartbeat(const std::string& lease, const std::string& rig, double now_unix_s);
  // The agent's result for its lease. Accepted only from the holder of a held lease; returns
  // the standing (kHeld: accepted).
  LeaseStanding complete(const std::string& lease, const std::string& rig, nlohmann::json result,
                         std::map<std::string, std::string> files, double now_unix_s);
  // Cancels a pending or leased case; false when there is no such case or it has ended.
  bool cancel(const std::string& case_id, const std::string& why, double now_unix_s);
  // Expires leases whose heartbeats stopped and gives up on cases no rig took in time; says
  // what it did, a line each ("CASE on RIG: lease expired: no heartbeat for 6 s; queued again").
  std::vector<std::string> tick(double now_unix_s);

  bool finished() const;  // nothing pending or leased
  const std::vector<QueuedCase>& cases() const { return cases_; }
  const std::vector<RigPresence>& rigs() const { return presence_; }
  const QueueOptions& options() const { return options_; }

  // The lease `rig` holds now, or "" (derived from the cases' open attempts).
  std::string lease_held_by(const std::string& rig) const;

  // The whole state (twincert.hil-results/1 "rigs", "cases", "next_lease"); without the
  // results of done cases for a status view.
  nlohmann::json to_json(bool with_results = true) const;
  // Takes back what to_json wrote: finished cases stay, leased ones are queued again.
  void restore(const nlohmann::json& saved, double now_unix_s);

 private:
  QueuedCase* find_case(const std::string& id);
  QueuedCase* holder_of(const std::string& lease);
  RigPresence* presence_of(const std::string& rig);
  bool may_take(const RigPresence& rig, const QueuedCase& c, double now_unix_s) const;

  std::vector<QueuedCase> cases_;
  std::vector<Rig> rigs_;
  std::vector<RigPresence> presence_;
  QueueOptions options_;
  double opened_unix_s_ = 0.0;
  std::uint64_t next_lease_ = 1;
};

}  // namespace twincert::hil
