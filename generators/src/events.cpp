#include "twincert/generators/events.hpp"

#include <algorithm>

#include "twincert/base/config_error.hpp"

namespace twincert::generators {

namespace {

// One line per event kind: name, parameters, the conclusion a correct twin must reach.
const std::vector<EventKindInfo>& table() {
  static const std::vector<EventKindInfo> kinds = {
      {"rpm_order", "rpm", ""},
      {"thruster", "percent", ""},
      {"engine_failure", "", "engine_failure"},
      {"steering_failure", "rudder_deg", "steering_failure"},
      {"blackout", "", "blackout"},
      {"fire", "zone", "fire"},
      {"door_open", "door", "door_open_at_sea"},
      {"water_ingress", "", "water_ingress"},
  };
  return kinds;
}

}  // namespace

const EventKindInfo& event_kind(std::string_view name) {
  for (const EventKindInfo& k : table()) {
    if (k.name == name) return k;
  }
  throw ConfigError("unknown event kind \"" + std::string(name) +
                    "\" (known: " + names_of(table()) + ")");
}

std::vector<EventKindInfo> event_kinds() {
  return table();
}

std::string_view conclusion_of(const Event& event, bool anchored) {
  const std::string_view conclusion = event_kind(event.kind).conclusion;
  return conclusion == "door_open_at_sea" && anchored ? std::string_view{} : conclusion;
}

ShipSystems systems_at(const std::vector<Event>& events, double t_s, ShipSystems s) {
  for (const Event& e : events) {
    if (e.kind == "rpm_order" && t_s >= e.at_s) {
      s.rpm_order = e.param("rpm", s.rpm_order);  // a new order holds until the next
    }
    if (!e.active(t_s)) continue;
    if (e.kind == "thruster") {
      s.thruster_percent = std::clamp(e.param("percent", 0.0), -100.0, 100.0);
    } else if (e.kind == "engine_failure") {
      s.engine_failed = true;
    } else if (e.kind == "steering_failure") {
      s.steering_failed = true;
      s.jammed_rudder_deg = e.param("rudder_deg", NAN);
    } else if (e.kind == "blackout") {
      s.blackout = true;
    } else if (e.kind == "fire") {
      s.fire = true;
      s.fire_zone = static_cast<int>(e.param("zone", 1));
    } else if (e.kind == "door_open") {
      s.door_open = true;
      s.door = static_cast<int>(e.param("door", 1));
    } else if (e.kind == "water_ingress") {
      s.water_ingress = true;
    }
  }
  return s;
}

}  // namespace twincert::generators
