// Scenarios: the vessel, its route and speed, the environment and the sensors fitted, as JSON
// files (fixtures/scenarios/*.json, schema in docs/formats/scenario.md). The built-in scenarios
// and vessel classes are compiled into the program, so `twincert generate --scenario NAME`
// needs no files. Loading throws ConfigError naming the file, the JSON path and what was
// expected. Values are plain data; thread-compatible.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "twincert/generators/environment.hpp"
#include "twincert/generators/events.hpp"
#include "twincert/generators/faults.hpp"
#include "twincert/generators/geodesy.hpp"
#include "twincert/generators/sensors.hpp"
#include "twincert/generators/traffic.hpp"
#include "twincert/generators/vessel.hpp"

namespace twincert::generators {

// Thresholds of the conclusions the truth draws from the true state ("limits" in the JSON):
// shallow water under the keel, a close-quarters target (CPA below cpa_nm within tcpa_min).
struct AlertLimits {
  double shallow_water_m = 5.0;
  double cpa_nm = 0.5;
  double tcpa_min = 12.0;
};

struct Scenario {
  std::string name;
  std::string description;
  std::string origin;             // file or "builtin:NAME", for messages
  std::int64_t start_unix_s = 0;  // UTC of t = 0
  double duration_s = 3600.0;
  VesselClass vessel;
  std::vector<GeoPoint> route;         // at least two points; the ship starts at the first
  std::optional<Anchorage> anchorage;  // "anchor": the ship lies at anchor instead
  double rpm_order = 0.0;
  std::vector<Event> events;  // in time order
  AlertLimits limits;
  EnvironmentSpec environment;
  std::vector<SensorSpec> sensors;
  std::vector<FaultSpec> faults;  // "faults": ["dropout:HE0001@600+120", ...] and --fault
  std::vector<Target> traffic;    // "traffic": [...] plus "random_targets" (drawn at load time)
  std::string source_text;        // the JSON as read, for the manifest hash
};

// Parses scenario JSON; `origin` names it in errors. Vessel references ("vessel": "NAME") are
// resolved among the built-in vessel classes.
Scenario parse_scenario(std::string_view json_text, std::string_view origin);
Scenario load_scenario_file(const std::filesystem::path& path);
// A built-in scenario by name, or a file path if `name_or_path` names an existing file.
Scenario load_scenario(std::string_view name_or_path);

// The sensors fitted when a scenario says "sensors": "standard": GNSS, gyro (5 Hz), rate of
// turn, speed log, echo sounder, anemometer, rudder, engine, inclinometer, AIS, steering gear,
// fire detection, hull doors, water level and the central alert management, one each.
std::vector<SensorSpec> standard_sensor_suite();

struct BuiltinEntry {
  std::string name;
  std::string description;
};
std::vector<BuiltinEntry> builtin_scenarios();

// Adds a fault; throws ConfigError when no sensor has its source or it ends after the run.
void add_fault(Scenario& scenario, FaultSpec fault);

// "2025-11-22T09:00:00Z" to UNIX seconds. Throws ConfigError.
std::int64_t parse_utc(std::string_view text, std::string_view where);

}  // namespace twincert::generators
