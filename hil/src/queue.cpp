#include "twincert/hil/queue.hpp"

#include <algorithm>
#include <cmath>

#include "twincert/base/config_error.hpp"

namespace twincert::hil {

namespace {

using nlohmann::json;

std::string seconds_text(double s) {
  return std::to_string(std::lround(s)) + " s";
}

CaseState state_of(const std::string& text) {
  for (const CaseState s : {CaseState::kPending, CaseState::kLeased, CaseState::kDone,
                            CaseState::kLost, CaseState::kNotRun, CaseState::kCancelled}) {
    if (text == to_string(s)) return s;
  }
  throw ConfigError("unknown HIL case state \"" + text + "\"");
}

void end_attempt(QueuedCase& c, double now_unix_s, const std::string& outcome) {
  Attempt& a = c.attempts.back();
  a.to_unix_s = now_unix_s;
  a.outcome = outcome;
}

}  // namespace

const char* to_string(CaseState state) {
  switch (state) {
    case CaseState::kPending:
      return "pending";
    case CaseState::kLeased:
      return "leased";
    case CaseState::kDone:
      return "done";
    case CaseState::kLost:
      return "lost";
    case CaseState::kNotRun:
      return "not-run";
    case CaseState::kCancelled:
      return "cancelled";
  }
  return "?";
}

const char* to_string(LeaseStanding standing) {
  switch (standing) {
    case LeaseStanding::kHeld:
      return "held";
    case LeaseStanding::kExpired:
      return "expired";
    case LeaseStanding::kCancelled:
      return "cancelled";
    case LeaseStanding::kUnknown:
      return "unknown";
  }
  return "?";
}

Queue::Queue(std::vector<QueuedCase> cases, std::vector<Rig> rigs, QueueOptions options,
             double now_unix_s)
    : cases_(std::move(cases)),
      rigs_(std::move(rigs)),
      options_(options),
      opened_unix_s_(now_unix_s) {
  for (const Rig& r : rigs_) presence_.push_back({r.id, 0.0, true, ""});
  for (QueuedCase& c : cases_) {
    if (!c.planned_rig.empty() && presence_of(c.planned_rig) == nullptr) {
      throw ConfigError("case " + c.spec.id + " is planned on rig " + c.planned_rig +
                        ", which the inventory does not have");
    }
    c.pending_since_unix_s = now_unix_s;
  }
}

QueuedCase* Queue::find_case(const std::string& id) {
  const auto it = std::find_if(cases_.begin(), cases_.end(),
                               [&](const QueuedCase& c) { return c.spec.id == id; });
  return it == cases_.end() ? nullptr : &*it;
}

QueuedCase* Queue::holder_of(const std::string& lease) {
  for (QueuedCase& c : cases_) {
    if (std::any_of(c.attempts.begin(), c.attempts.end(),
                    [&](const Attempt& a) { return a.lease == lease; })) {
      return &c;
    }
  }
  return nullptr;
}

RigPresence* Queue::presence_of(const std::string& rig) {
  const auto it = std::find_if(presence_.begin(), presence_.end(),
                               [&](const RigPresence& p) { return p.id == rig; });
  return it == presence_.end() ? nullptr : &*it;
}

void Queue::seen(const std::string& rig, double now_unix_s, bool healthy,
                 const std::string& detail) {
  RigPresence* p = presence_of(rig);
  if (p == nullptr) return;
  p->last_seen_unix_s = now_unix_s;
  p->healthy = healthy;
  p->health_detail = detail;
}

// A rig takes the cases planned for it; another rig's cases only once that rig is away (its
// agent not seen for a lease period, counted from when the queue opened for one never seen) or
// the case failed there once — then preferably not on the rig where it failed.
bool Queue::may_take(const RigPresence& rig, const QueuedCase& c, double now_unix_s) const {
  const auto it =
      std::find_if(rigs_.begin(), rigs_.end(), [&](const Rig& r) { return r.id == rig.id; });
  if (it == rigs_.end() || !capable(*it, c.needs)) return false;
  if (c.planned_rig == rig.id || c.planned_rig.empty()) return true;
  if (!c.attempts.empty()) return true;
  const auto planned = std::find_if(presence_.begin(), presence_.end(),
                                    [&](const RigPresence& p) { return p.id == c.planned_rig; });
  const double last = std::max(planned->last_seen_unix_s, opened_unix_s_);
  return now_unix_s - last > options_.lease_s || !planned->healthy;
}

std::optional<Offer> Queue::lease(const std::string& rig, double now_unix_s) {
  RigPresence* p = presence_of(rig);
  if (p == nullptr || !p->healthy) return std::nullopt;
  p->last_seen_unix_s = now_unix_s;
  if (!lease_held_by(rig).empty()) return std::nullopt;
  QueuedCase* chosen = nullptr;
  int best = -1;
  for (QueuedCase& c : cases_) {
    if (c.state != CaseState::kPending || !may_take(*p, c, now_unix_s)) continue;
    // Its own planned cases first, then cases that failed elsewhere, then ones it failed.
    const bool failed_here = std::any_of(c.attempts.begin(), c.attempts.end(),
                                         [&](const Attempt& a) { return a.rig == rig; });
    const int rank = c.planned_rig == rig && !failed_here ? 3 : (failed_here ? 1 : 2);
    if (rank > best) {
      best = rank;
      chosen = &c;
    }
  }
  if (chosen == nullptr) return std::nullopt;
  const std::string id = "L" + std::to_string(next_lease_++);
  chosen->state = CaseState::kLeased;
  chosen->last_heartbeat_unix_s = now_unix_s;
  chosen->attempts.push_back({rig, id, now_unix_s, 0.0, ""});
  return Offer{id, chosen};
}

LeaseStanding Queue::heartbeat(const std::string& lease, const std::string& rig,
                               double now_unix_s) {
  if (RigPresence* p = presence_of(rig); p != nullptr) p->last_seen_unix_s = now_unix_s;
  QueuedCase* c = holder_of(lease);
  if (c == nullptr) return LeaseStanding::kUnknown;
  const auto attempt = std::find_if(c->attempts.begin(), c->attempts.end(),
                                    [&](const Attempt& a) { return a.lease == lease; });
  if (attempt->rig != rig) return LeaseStanding::kUnknown;  // not this rig's to report
  if (attempt->outcome.starts_with("cancelled")) return LeaseStanding::kCancelled;
  if (c->state != CaseState::kLeased || attempt->to_unix_s != 0.0) return LeaseStanding::kExpired;
  c->last_heartbeat_unix_s = now_unix_s;
  return LeaseStanding::kHeld;
}

std::string Queue::lease_held_by(const std::string& rig) const {
  for (const QueuedCase& c : cases_) {
    if (c.state == CaseState::kLeased && c.attempts.back().rig == rig) {
      return c.attempts.back().lease;
    }
  }
  return "";
}

LeaseStanding Queue::complete(const std::string& lease, const std::string& rig,
                              nlohmann::json result, std::map<std::string, std::string> files,
                              double now_unix_s) {
  const LeaseStanding standing = heartbeat(lease, rig, now_unix_s);
  if (standing != LeaseStanding::kHeld) return standing;
  QueuedCase& c = *holder_of(lease);
  end_attempt(c, now_unix_s, "completed");
  c.state = CaseState::kDone;
  c.rig = rig;
  c.verdict = result.value("verdict", "error");
  c.result = std::move(result);
  c.files = std::move(files);
  return LeaseStanding::kHeld;
}

bool Queue::cancel(const std::string& case_id, const std::string& why, double now_unix_s) {
  QueuedCase* c = find_case(case_id);
  if (c == nullptr || (c->state != CaseState::kPending && c->state != CaseState::kLeased)) {
    return false;
  }
  if (c->state == CaseState::kLeased) end_attempt(*c, now_unix_s, "cancelled: " + why);
  c->state = CaseState::kCancelled;
  c->reason = why;
  return true;
}

std::vector<std::string> Queue::tick(double now_unix_s) {
  std::vector<std::string> events;
  for (QueuedCase& c : cases_) {
    if (c.state == CaseState::kLeased && now_unix_s - c.last_heartbeat_unix_s > options_.lease_s) {
      const std::string outcome =
          "lease expired: no heartbeat for " + seconds_text(now_unix_s - c.last_heartbeat_unix_s);
      end_attempt(c, now_unix_s, outcome);
      const auto expired =
          std::count_if(c.attempts.begin(), c.attempts.end(),
                        [](const Attempt& a) { return a.outcome.starts_with("lease expired"); });
      if (expired >= options_.max_attempts) {
        c.state = CaseState::kLost;
        c.reason = "its lease expired " + std::to_string(expired) + " times";
      } else {
        c.state = CaseState::kPending;
        c.pending_since_unix_s = now_unix_s;
      }
      events.push_back(
          c.spec.id + " on " + c.attempts.back().rig + ": " + outcome +
          (c.state == CaseState::kLost ? "; lost (" + c.reason + ")" : "; queued again"));
    } else if (c.state == CaseState::kPending &&
               now_unix_s - c.pending_since_unix_s > options_.reservation_timeout_s) {
      c.state = CaseState::kNotRun;
      c.reason = "no capable rig took it within " + seconds_text(options_.reservation_timeout_s);
      events.push_back(c.spec.id + ": not run, " + c.reason);
    }
  }
  return events;
}

bool Queue::finished() const {
  return std::none_of(cases_.begin(), cases_.end(), [](const QueuedCase& c) {
    return c.state == CaseState::kPending || c.state == CaseState::kLeased;
  });
}

json Queue::to_json(bool with_results) const {
  json rigs = json::array();
  for (const RigPresence& p : presence_) {
    rigs.push_back({{"id", p.id},
                    {"last_seen_unix_s", p.last_seen_unix_s},
                    {"healthy", p.healthy},
                    {"health_detail", p.health_detail},
                    {"lease", lease_held_by(p.id)}});
  }
  json cases = json::array();
  for (const QueuedCase& c : cases_) {
    json attempts = json::array();
    for (const Attempt& a : c.attempts) {
      attempts.push_back({{"rig", a.rig},
                          {"lease", a.lease},
                          {"from_unix_s", a.from_unix_s},
                          {"to_unix_s", a.to_unix_s},
                          {"outcome", a.outcome}});
    }
    json j = {{"id", c.spec.id},
              {"planned_rig", c.planned_rig},
              {"state", to_string(c.state)},
              {"reason", c.reason},
              {"attempts", attempts}};
    if (c.state == CaseState::kDone) {
      j["rig"] = c.rig;
      j["verdict"] = c.verdict;
      if (with_results) j["result"] = c.result;
      j["files"] = c.files;
    }
    cases.push_back(std::move(j));
  }
  return {{"rigs", rigs}, {"cases", cases}, {"next_lease", next_lease_}};
}

void Queue::restore(const json& saved, double now_unix_s) {
  try {
    next_lease_ = std::max<std::uint64_t>(next_lease_, saved.at("next_lease").get<std::uint64_t>());
    for (const json& j : saved.at("cases")) {
      QueuedCase* c = find_case(j.at("id").get<std::string>());
      if (c == nullptr) continue;
      c->attempts.clear();
      for (const json& a : j.at("attempts")) {
        c->attempts.push_back(
            {a.at("rig"), a.at("lease"), a.at("from_unix_s"), a.at("to_unix_s"), a.at("outcome")});
      }
      c->state = state_of(j.at("state").get<std::string>());
      c->reason = j.value("reason", "");
      if (c->state == CaseState::kLeased) {
        Attempt& a = c->attempts.back();
        a.to_unix_s = now_unix_s;
        a.outcome = "coordinator restarted";
        c->state = CaseState::kPending;
      }
      c->pending_since_unix_s = now_unix_s;
      if (c->state == CaseState::kDone) {
        c->rig = j.at("rig").get<std::string>();
        c->verdict = j.at("verdict").get<std::string>();
        c->result = j.at("result");
        c->files = j.at("files").get<std::map<std::string, std::string>>();
      }
    }
  } catch (const json::exception& e) {
    throw ConfigError(std::string("saved HIL state is not one: ") + e.what());
  }
}

}  // namespace twincert::hil
