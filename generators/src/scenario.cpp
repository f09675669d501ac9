#include "twincert/generators/scenario.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <system_error>

#include <nlohmann/json.hpp>

#include "twincert/base/config_error.hpp"

#include "builtin_fixtures.hpp"

namespace twincert::generators {

namespace {

using nlohmann::json;

// Reads typed values out of JSON with the path in every error.
class Reader {
 public:
  Reader(const json& value, std::string origin, std::string path)
      : value_(value), origin_(std::move(origin)), path_(std::move(path)) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw ConfigError(origin_ + ": " + (path_.empty() ? "/" : path_) + ": " + what);
  }
  bool has(const char* key) const { return value_.is_object() && value_.contains(key); }
  Reader at(const char* key) const {
    if (!value_.is_object()) fail("expected an object, got " + kind(value_));
    if (!value_.contains(key)) fail(std::string("missing required key \"") + key + "\"");
    return {value_.at(key), origin_, path_ + "/" + key};
  }
  Reader at(std::size_t index) const {
    return {value_.at(index), origin_, path_ + "/" + std::to_string(index)};
  }
  std::size_t size() const {
    if (!value_.is_array()) fail("expected an array, got " + kind(value_));
    return value_.size();
  }
  double number() const {
    if (!value_.is_number()) fail("expected a number, got " + kind(value_));
    return value_.get<double>();
  }
  double number(double min, double max) const {
    const double v = number();
    if (v < min || v > max) {
      fail("expected a number from " + format(min) + " to " + format(max) + ", got " + format(v));
    }
    return v;
  }
  std::string text() const {
    if (!value_.is_string()) fail("expected a string, got " + kind(value_));
    return value_.get<std::string>();
  }
  const json& raw() const { return value_; }
  const std::string& path() const { return path_; }

  double number_or(const char* key, double fallback, double min, double max) const {
    return has(key) ? at(key).number(min, max) : fallback;
  }

 private:
  static std::string kind(const json& v) {
    if (v.is_null()) return "null";
    if (v.is_boolean()) return "a boolean";
    if (v.is_number()) return "a number";
    if (v.is_string()) return "a string";
    if (v.is_array()) return "an array";
    return "an object";
  }
  static std::string format(double v) {
    std::string s = std::to_string(v);
    while (s.find('.') != std::string::npos && (s.back() == '0' || s.back() == '.')) {
      const bool dot = s.back() == '.';
      s.pop_back();
      if (dot) break;
    }
    return s;
  }

  const json& value_;
  std::string origin_;
  std::string path_;
};

json parse_json(std::string_view text, std::string_view origin) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    throw ConfigError(std::string(origin) + ": not valid JSON: " + e.what());
  }
}

VesselClass read_vessel(const Reader& r) {
  VesselClass v;
  v.name = r.at("name").text();
  v.length_m = r.at("length_m").number(5, 500);
  v.beam_m = r.at("beam_m").number(1, 80);
  v.draught_m = r.at("draught_m").number(0.5, 30);
  v.service_speed_kn = r.at("service_speed_kn").number(1, 50);
  v.service_rpm = r.at("service_rpm").number(1, 3000);
  v.max_rpm = r.number_or("max_rpm", v.service_rpm * 1.2, v.service_rpm, 3000);
  v.rpm_rate_per_s = r.number_or("rpm_rate_per_s", v.rpm_rate_per_s, 0.01, 100);
  v.speed_lag_s = r.number_or("speed_lag_s", v.speed_lag_s, 1, 3600);
  v.nomoto_k_per_s = r.at("nomoto_k_per_s").number(0.001, 2);
  v.nomoto_t_s = r.at("nomoto_t_s").number(0.5, 600);
  v.max_rudder_deg = r.number_or("max_rudder_deg", v.max_rudder_deg, 5, 70);
  v.rudder_rate_deg_s = r.number_or("rudder_rate_deg_s", v.rudder_rate_deg_s, 0.5, 20);
  v.roll_period_s = r.number_or("roll_period_s", v.roll_period_s, 2, 60);
  v.roll_deg_per_kn_wind = r.number_or("roll_deg_per_kn_wind", v.roll_deg_per_kn_wind, 0, 5);
  v.max_roll_deg = r.number_or("max_roll_deg", v.max_roll_deg, 0, 60);
  v.heel_deg_per_deg_s_kn = r.number_or("heel_deg_per_deg_s_kn", v.heel_deg_per_deg_s_kn, 0, 10);
  v.pitch_period_s = r.number_or("pitch_period_s", v.pitch_period_s, 2, 60);
  v.pitch_deg_per_kn_wind = r.number_or("pitch_deg_per_kn_wind", v.pitch_deg_per_kn_wind, 0, 2);
  v.leeway_fraction = r.number_or("leeway_fraction", v.leeway_fraction, 0, 0.2);
  return v;
}

VesselClass builtin_vessel(const std::string& name, const Reader& where) {
  for (const auto& f : builtin_vessel_files()) {
    if (f.name == name) {
      const json j = parse_json(f.text, "builtin vessel " + name);
      return read_vessel(Reader(j, "builtin vessel " + name, ""));
    }
  }
  where.fail("unknown vessel class \"" + name +
             "\" (built in: " + names_of(builtin_vessel_files()) + ")");
}

EnvironmentSpec read_environment(const Reader& r) {
  EnvironmentSpec e;
  e.wind_speed_kn = r.number_or("wind_speed_kn", e.wind_speed_kn, 0, 150);
  e.wind_from_deg = r.number_or("wind_from_deg", e.wind_from_deg, 0, 360);
  e.gust_kn = r.number_or("gust_kn", e.gust_kn, 0, 100);
  e.current_set_deg = r.number_or("current_set_deg", e.current_set_deg, 0, 360);
  e.current_drift_kn = r.number_or("current_drift_kn", e.current_drift_kn, 0, 10);
  e.sea_temperature_c = r.number_or("sea_temperature_c", e.sea_temperature_c, -2, 40);
  if (r.has("depth_profile")) {
    const Reader p = r.at("depth_profile");
    for (std::size_t i = 0; i < p.size(); ++i) {
      const Reader point = p.at(i);
      const double nm = point.at("distance_nm").number(0, 100000);
      const double depth = point.at("depth_m").number(0, 11000);
      if (!e.depth_profile.empty() && nm <= e.depth_profile.back().first) {
        point.at("distance_nm").fail("expected distances in increasing order");
      }
      e.depth_profile.emplace_back(nm, depth);
    }
  }
  return e;
}

Target read_target(const Reader& r) {
  Target t;
  t.mmsi = static_cast<std::uint32_t>(r.at("mmsi").number(100000000, 999999999));
  t.name = r.at("name").text();
  t.call_sign = r.has("call_sign") ? r.at("call_sign").text() : "";
  if (r.has("class")) {
    const std::string c = r.at("class").text();
    if (c != "A" && c != "B") r.at("class").fail(R"(expected "A" or "B")");
    t.class_b = c == "B";
  }
  t.ship_type = static_cast<std::uint32_t>(r.number_or("ship_type", t.class_b ? 37 : 70, 0, 99));
  t.length_m = r.number_or("length_m", t.class_b ? 12.0 : 120.0, 2, 500);
  t.beam_m = r.number_or("beam_m", t.length_m / 6.5, 1, 80);
  t.start = GeoPoint{r.at("lat").number(-85, 85), r.at("lon").number(-180, 180)};
  t.course_deg = r.at("course_deg").number(0, 360);
  t.speed_kn = r.at("speed_kn").number(0, 60);
  return t;
}

SensorSpec read_sensor(const Reader& r) {
  SensorSpec s;
  s.kind = r.at("kind").text();
  s.source = r.at("source").text();
  if (s.source.size() != 6) r.at("source").fail("expected a system function ID like \"GP0001\"");
  s.talker = r.has("talker") ? r.at("talker").text() : s.source.substr(0, 2);
  if (s.talker.size() != 2) r.at("talker").fail("expected a two-letter talker");
  s.rate_hz = r.number_or("rate_hz", 1.0, 0.01, 10.0);
  if (r.has("sentences")) {
    const Reader list = r.at("sentences");
    for (std::size_t i = 0; i < list.size(); ++i) s.sentences.push_back(list.at(i).text());
  }
  if (r.has("params")) {
    const Reader params = r.at("params");
    if (!params.raw().is_object()) params.fail("expected an object of numbers");
    const std::vector<SensorParameter> known = sensor_parameters(s.kind);
    for (const auto& item : params.raw().items()) {
      const Reader value = params.at(item.key().c_str());
      const auto it = std::find_if(known.begin(), known.end(),
                                   [&](const SensorParameter& p) { return p.name == item.key(); });
      if (it != known.end()) {
        s.params[item.key()] = value.number(it->min, it->max);
        continue;
      }
      // Every kind takes some: none is an unknown kind, which make_sensor reports with the
      // known ones.
      if (known.empty()) continue;
      value.fail("not a parameter of a " + s.kind + " sensor (it takes " + names_of(known) + ")");
    }
  }
  return s;
}

Event read_event(const Reader& r) {
  Event e;
  e.kind = r.at("kind").text();
  std::string_view allowed;
  try {
    allowed = event_kind(e.kind).params;
  } catch (const ConfigError& error) {
    r.at("kind").fail(error.what());
  }
  e.at_s = r.at("at_s").number(0, 30 * 86400.0);
  e.duration_s = r.number_or("duration_s", 0.0, 0, 30 * 86400.0);
  for (const auto& [key, value] : r.raw().items()) {
    if (key == "kind" || key == "at_s" || key == "duration_s") continue;
    if (!lists_key(allowed, key)) {
      r.at(key.c_str())
          .fail("event kind " + e.kind + " takes no parameter \"" + key + "\"" +
                (allowed.empty() ? "" : " (it takes: " + std::string(allowed) + ")"));
    }
    e.params[key] = r.at(key.c_str()).number();
  }
  return e;
}

AlertLimits read_limits(const Reader& r) {
  AlertLimits l;
  l.shallow_water_m = r.number_or("shallow_water_m", l.shallow_water_m, 0, 1000);
  l.cpa_nm = r.number_or("cpa_nm", l.cpa_nm, 0, 50);
  l.tcpa_min = r.number_or("tcpa_min", l.tcpa_min, 0, 600);
  return l;
}

}  // namespace

void add_fault(Scenario& scenario, FaultSpec fault) {
  const bool known = std::any_of(scenario.sensors.begin(), scenario.sensors.end(),
                                 [&](const SensorSpec& s) { return s.source == fault.source; });
  if (!known) {
    std::string sources;
    for (const SensorSpec& s : scenario.sensors) {
      sources += (sources.empty() ? "" : ", ") + s.source;
    }
    throw ConfigError("fault \"" + fault.text + "\": no sensor with source " + fault.source +
                      " (sensors: " + sources + ")");
  }
  // Offsets and noise falsify measured quantities; alert sources and the alert management
  // report states, so such a fault on them would change nothing and test nothing.
  const auto& sensor = *std::find_if(scenario.sensors.begin(), scenario.sensors.end(),
                                     [&](const SensorSpec& s) { return s.source == fault.source; });
  const bool offsets = fault.kind == "bias" || fault.kind == "drift" || fault.kind == "noise" ||
                       fault.kind == "spike" || fault.kind == "wrong_unit";
  if (offsets && !measures_quantities(sensor.kind)) {
    throw ConfigError("fault \"" + fault.text + "\": " + fault.source + " is a " + sensor.kind +
                      " sensor, which reports states, not measured values");
  }
  scenario.faults.push_back(std::move(fault));
}

std::vector<SensorSpec> standard_sensor_suite() {
  // The inputs IEC 61996-1 asks a VDR to record that a sentence carries, at typical rates.
  return {
      SensorSpec{"gnss", "GP0001", "GP", 1.0, {}, {}},
      SensorSpec{"gyro", "HE0001", "HE", 5.0, {}, {}},
      SensorSpec{"rate_of_turn", "TI0001", "TI", 1.0, {}, {}},
      SensorSpec{"speed_log", "VW0001", "VW", 1.0, {}, {}},
      SensorSpec{"echo_sounder", "SD0001", "SD", 1.0, {}, {}},
      SensorSpec{"anemometer", "WI0001", "WI", 1.0, {}, {}},
      SensorSpec{"rudder", "RI0001", "RI", 1.0, {}, {}},
      SensorSpec{"engine", "ER0001", "ER", 1.0, {}, {}},
      SensorSpec{"inclinometer", "HS0001", "HS", 1.0, {}, {}},
      SensorSpec{"ais", "AI0001", "AI", 1.0, {}, {}},
      SensorSpec{"steering_gear", "SG0001", "SG", 1.0, {}, {}},
      SensorSpec{"fire_detection", "FR0001", "FR", 1.0, {}, {}},
      SensorSpec{"door_monitoring", "HD0001", "HD", 1.0, {}, {}},
      SensorSpec{"water_level", "WL0001", "WL", 1.0, {}, {}},
      SensorSpec{"alert_management", "CA0001", "CA", 1.0, {}, {}},
  };
}

std::int64_t parse_utc(std::string_view text, std::string_view where) {
  int y = 0;
  int mo = 0;
  int d = 0;
  int h = 0;
  int mi = 0;
  int s = 0;
  const std::string t(text);
  if (t.size() != 20 ||
      std::sscanf(t.c_str(), "%4d-%2d-%2dT%2d:%2d:%2dZ", &y, &mo, &d, &h, &mi, &s) != 6 || mo < 1 ||
      mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) {
    throw ConfigError(std::string(where) + R"(: expected UTC like "2025-11-22T09:00:00Z", got ")" +
                      t + "\"");
  }
  // Days from civil (Howard Hinnant's algorithm).
  const int yy = y - (mo <= 2 ? 1 : 0);
  const int era = (yy >= 0 ? yy : yy - 399) / 400;
  const int yoe = yy - era * 400;
  const int doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const std::int64_t days = static_cast<std::int64_t>(era) * 146097 + doe - 719468;
  return days * 86400 + std::int64_t{h} * 3600 + std::int64_t{mi} * 60 + s;
}

Scenario parse_scenario(std::string_view json_text, std::string_view origin) {
  const json j = parse_json(json_text, origin);
  const Reader r(j, std::string(origin), "");
  Scenario sc;
  sc.origin = origin;
  sc.source_text = json_text;
  sc.name = r.at("name").text();
  sc.description = r.has("description") ? r.at("description").text() : "";
  sc.start_unix_s = parse_utc(r.at("start_utc").text(), std::string(origin) + ": /start_utc");
  sc.duration_s = r.number_or("duration_s", sc.duration_s, 1, 30 * 86400.0);
  const Reader vessel = r.at("vessel");
  sc.vessel =
      vessel.raw().is_string() ? builtin_vessel(vessel.text(), vessel) : read_vessel(vessel);
  if (r.has("anchor")) {
    // At anchor the route is where the ship swings; it needs none.
    const Reader a = r.at("anchor");
    Anchorage anchorage;
    anchorage.anchor = GeoPoint{a.at("lat").number(-85, 85), a.at("lon").number(-180, 180)};
    anchorage.scope_m = a.number_or("scope_m", anchorage.scope_m, 10, 2000);
    anchorage.sheer_deg = a.number_or("sheer_deg", anchorage.sheer_deg, 0, 60);
    anchorage.sheer_period_s = a.number_or("sheer_period_s", anchorage.sheer_period_s, 30, 3600);
    sc.anchorage = anchorage;
    sc.route = {anchorage.anchor, advance(anchorage.anchor, kMetresPerNauticalMile, 0.0)};
  } else {
    const Reader route = r.at("route");
    if (route.size() < 2) route.fail("expected at least two waypoints");
    for (std::size_t i = 0; i < route.size(); ++i) {
      const Reader p = route.at(i);
      sc.route.push_back(GeoPoint{p.at("lat").number(-85, 85), p.at("lon").number(-180, 180)});
    }
  }
  sc.rpm_order = sc.anchorage && !r.has("rpm_order")
                     ? 0.0
                     : r.at("rpm_order").number(-sc.vessel.max_rpm, sc.vessel.max_rpm);
  if (r.has("events")) {
    const Reader events = r.at("events");
    for (std::size_t i = 0; i < events.size(); ++i) sc.events.push_back(read_event(events.at(i)));
    std::stable_sort(sc.events.begin(), sc.events.end(),
                     [](const Event& a, const Event& b) { return a.at_s < b.at_s; });
  }
  if (r.has("limits")) sc.limits = read_limits(r.at("limits"));
  if (r.has("environment")) sc.environment = read_environment(r.at("environment"));
  const Reader sensors = r.at("sensors");
  if (sensors.raw().is_string()) {
    if (sensors.text() != "standard") sensors.fail(R"(expected an array of sensors or "standard")");
    sc.sensors = standard_sensor_suite();
  } else {
    for (std::size_t i = 0; i < sensors.size(); ++i) {
      SensorSpec sensor = read_sensor(sensors.at(i));
      // A source is one device on the 450 network: its line counts, health and faults are its own.
      for (std::size_t earlier = 0; earlier < i; ++earlier) {
        if (sc.sensors[earlier].source == sensor.source) {
          sensors.at(i).at("source").fail("source " + sensor.source +
                                          " is already used by sensors[" + std::to_string(earlier) +
                                          "]");
        }
      }
      sc.sensors.push_back(std::move(sensor));
    }
  }
  if (r.has("traffic")) {
    const Reader list = r.at("traffic");
    for (std::size_t i = 0; i < list.size(); ++i) sc.traffic.push_back(read_target(list.at(i)));
  }
  if (r.has("random_targets")) {
    const Reader rt = r.at("random_targets");
    const auto count = static_cast<int>(rt.at("count").number(0, 500));
    const double radius = rt.at("radius_nm").number(3, 100);
    // Drawn from a fixed seed so a scenario's traffic is part of the scenario, not of the run.
    for (Target& t :
         random_targets(CounterRng(stream_id(sc.name)), sc.route.front(), count, radius)) {
      sc.traffic.push_back(std::move(t));
    }
  }
  if (r.has("faults")) {
    const Reader faults = r.at("faults");
    for (std::size_t i = 0; i < faults.size(); ++i) {
      const Reader f = faults.at(i);
      try {
        add_fault(sc, parse_fault(f.text()));
      } catch (const ConfigError& e) {
        f.fail(e.what());
      }
    }
  }
  return sc;
}

Scenario load_scenario_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw ConfigError(path.string() + ": cannot read: " +
                      std::error_code(errno, std::generic_category()).message());
  }
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  return parse_scenario(text, path.string());
}

Scenario load_scenario(std::string_view name_or_path) {
  for (const auto& f : builtin_scenario_files()) {
    if (f.name == name_or_path) return parse_scenario(f.text, "builtin:" + std::string(f.name));
  }
  const std::filesystem::path path(name_or_path);
  if (std::filesystem::exists(path)) return load_scenario_file(path);
  throw ConfigError("scenario \"" + std::string(name_or_path) +
                    "\": neither a built-in scenario nor a file (built in: " +
                    names_of(builtin_scenario_files()) + ")");
}

std::vector<BuiltinEntry> builtin_scenarios() {
  std::vector<BuiltinEntry> out;
  for (const auto& f : builtin_scenario_files()) {
    const json j = parse_json(f.text, f.name);
    out.push_back(BuiltinEntry{std::string(f.name), j.value("description", std::string{})});
  }
  return out;
}

}  // namespace twincert::generators
