#include "twincert/generators/alerts.hpp"

#include <algorithm>
#include <cmath>

namespace twincert::generators {

const std::vector<AlertDefinition>& alert_definitions() {
  // One line per alert. Identifiers are in the proprietary range IEC 61162-1 leaves to
  // manufacturers, so they cannot be mistaken for standardized ones.
  static const std::vector<AlertDefinition> table = {
      {"engine_failure", "engine", 10001, 'B', 'A', true, "MAIN ENGINE FAIL",
       "MAIN ENGINE STOPPED"},
      {"steering_failure", "steering_gear", 10002, 'A', 'A', true, "STEERING FAILURE",
       "RUDDER DOES NOT FOLLOW ORDER"},
      {"fire", "fire_detection", 10003, 'B', 'A', false, "FIRE ALARM", "FIRE DETECTED IN ZONE"},
      {"door_open_at_sea", "door_monitoring", 10004, 'B', 'W', true, "HULL DOOR OPEN",
       "HULL DOOR OPEN IN SEA MODE"},
      {"water_ingress", "water_level", 10005, 'B', 'A', true, "WATER INGRESS",
       "HIGH WATER LEVEL IN HOLD"},
  };
  return table;
}

char AlertTimeline::state_at(double t) const noexcept {
  if (t < raised_s) return '\0';
  if (t < std::min(acknowledged_s, rectified_s)) return 'V';
  if (t >= std::max(acknowledged_s, rectified_s)) return 'N';
  return acknowledged_s <= t ? 'A' : 'U';
}

std::vector<double> AlertTimeline::changes() const {
  std::vector<double> out = {raised_s, std::min(acknowledged_s, rectified_s),
                             std::max(acknowledged_s, rectified_s)};
  out.erase(std::remove_if(out.begin(), out.end(), [](double t) { return !std::isfinite(t); }),
            out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::int32_t AlertTimeline::revision_at(double t) const noexcept {
  std::int32_t revision = 0;
  for (const double change : changes()) {
    if (change <= t) ++revision;
  }
  return std::max(revision, 1);
}

std::vector<AlertTimeline> alert_timelines(const std::vector<Event>& events, bool anchored) {
  std::vector<AlertTimeline> out;
  for (const Event& e : events) {
    const std::string_view condition = conclusion_of(e, anchored);
    if (condition.empty()) continue;
    for (const AlertDefinition& d : alert_definitions()) {
      if (d.condition != condition) continue;
      AlertTimeline a;
      a.definition = &d;
      // Instances count the alert's occurrences, so each one has its own life cycle.
      a.instance = static_cast<std::int32_t>(
          1 + std::count_if(out.begin(), out.end(),
                            [&](const AlertTimeline& o) { return o.definition == &d; }));
      a.raised_s = e.at_s;
      a.remote_acknowledge_s = e.at_s + kRemoteAcknowledgeDelayS;
      a.acknowledged_s =
          e.at_s + (d.remote_acknowledge ? kRemoteAcknowledgeDelayS : kLocalAcknowledgeDelayS);
      a.rectified_s = e.end_s();
      out.push_back(a);
    }
  }
  return out;
}

}  // namespace twincert::generators
