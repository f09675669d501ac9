// Scenario events: what happens to the ship and its systems, and when. Unlike faults (which
// falsify what a sensor reports about a healthy ship), events change the truth itself: the
// engine stops, the rudder jams, a fire breaks out, a door opens at sea, power fails.
//
// Scenario JSON ("events": [...], docs/formats/scenario.md):
//   {"at_s": 600, "kind": "rpm_order", "rpm": 40}                 new engine order from then on
//   {"at_s": 900, "kind": "thruster", "duration_s": 300, "percent": -60}   bow thruster demand
//   {"at_s": 1200, "kind": "engine_failure", "duration_s": 900}   engine stops; RPM runs down
//   {"at_s": 1200, "kind": "steering_failure", "duration_s": 600, "rudder_deg": 20}
//        the rudder jams (at its angle then, or runs to rudder_deg)
//   {"at_s": 1800, "kind": "blackout", "duration_s": 120}         every input falls silent
//   {"at_s": 300, "kind": "fire", "duration_s": 600, "zone": 3}   fire detectors in a zone
//   {"at_s": 300, "kind": "door_open", "duration_s": 600, "door": 12}  a hull door opens
//   {"at_s": 300, "kind": "water_ingress", "duration_s": 600}     high water level in a hold
// A duration of 0 (or none) lasts to the end of the run. Adding a kind is one line in the table
// in events.cpp and a line in systems_at(). Values are plain data; thread-compatible.
#pragma once

#include <cmath>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace twincert::generators {

struct Event {
  std::string kind;
  double at_s = 0.0;
  double duration_s = 0.0;  // 0: to the end of the run
  std::map<std::string, double> params;

  double end_s() const noexcept { return duration_s > 0 ? at_s + duration_s : INFINITY; }
  bool active(double t_s) const noexcept { return t_s >= at_s && t_s < end_s(); }
  double param(const char* name, double fallback) const {
    const auto it = params.find(name);
    return it == params.end() ? fallback : it->second;
  }
};

struct EventKindInfo {
  std::string_view name;
  std::string_view params;      // the parameters it takes, for messages and listings
  std::string_view conclusion;  // what a correct twin must conclude while it lasts ("" none)
};
// Throws ConfigError for an unknown kind.
const EventKindInfo& event_kind(std::string_view name);
std::vector<EventKindInfo> event_kinds();

// What a correct twin must conclude while this event lasts ("" nothing): the kind's conclusion,
// except that an open hull door at anchor is harbour mode, not an alert.
std::string_view conclusion_of(const Event& event, bool anchored);

// The state of the ship's systems at a time, as the events make it. Sensors read it from the
// true state to report telegraph orders, doors, detectors and alerts.
struct ShipSystems {
  double rpm_order = 0.0;
  double thruster_percent = 0.0;  // bow thruster demand, + to starboard
  bool engine_failed = false;
  bool steering_failed = false;
  double jammed_rudder_deg = NAN;  // NaN: jams where it is
  bool blackout = false;
  bool fire = false;
  int fire_zone = 1;
  bool door_open = false;
  int door = 1;
  bool water_ingress = false;
  bool anchored = false;
};

// `s` carries the scenario's initial orders; events apply in time order.
ShipSystems systems_at(const std::vector<Event>& events, double t_s, ShipSystems s);

}  // namespace twincert::generators
