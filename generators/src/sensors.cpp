#include "twincert/generators/sensors.hpp"

#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "twincert/base/config_error.hpp"

#include "sensor_kit.hpp"

namespace twincert::generators {

namespace {

using Factory =
    std::function<std::unique_ptr<Sensor>(SensorSpec, const CounterRng&, const SensorContext&)>;

struct Kind {
  const char* name;
  std::vector<std::string> sentences;  // all it can send; the default is all
  Factory make;
  std::vector<SensorParameter> params;  // what it reads with param(), and the values it accepts
};

// Standard deviations are never negative; an alert source's heartbeat is between 1 s and 1 h.
SensorParameter sigma(const char* name, double max) {
  return {name, 0.0, max};
}
const SensorParameter kHeartbeat{"heartbeat_s", 1.0, 3600.0};

// One line per sensor kind.
const std::vector<Kind>& kinds() {
  static const std::vector<Kind> table = {
      {"gnss",
       {"GGA", "RMC", "VTG", "ZDA", "GLL", "GNS", "GSA", "GSV"},
       detail::make_gnss,
       {sigma("position_sigma_m", 1000.0),
        {"position_error_tau_s", 0.001, 86400.0},
        sigma("position_jitter_m", 1000.0),
        sigma("sog_sigma_kn", 10.0),
        sigma("cog_sigma_deg", 180.0),
        {"antenna_height_m", -100.0, 1000.0},
        {"geoid_separation_m", -150.0, 150.0}}},
      {"gyro", {"HDT", "THS"}, detail::make_gyro, {sigma("heading_sigma_deg", 180.0)}},
      {"rate_of_turn", {"ROT"}, detail::make_rate_of_turn, {sigma("rot_sigma_deg_min", 1000.0)}},
      {"speed_log",
       {"VBW", "VHW", "VLW"},
       detail::make_speed_log,
       {sigma("stw_sigma_kn", 10.0), {"odometer_nm", 0.0, 9e6}}},
      {"echo_sounder",
       {"DPT", "DBT"},
       detail::make_echo_sounder,
       {sigma("depth_sigma_m", 100.0),
        {"range_m", 1.0, 12000.0},
        {"transducer_above_keel_m", 0.0, 30.0}}},
      {"anemometer",
       {"MWV", "MWD"},
       detail::make_anemometer,
       {sigma("speed_sigma_kn", 50.0), sigma("angle_sigma_deg", 180.0)}},
      {"rudder", {"RSA"}, detail::make_rudder, {sigma("angle_sigma_deg", 90.0)}},
      {"engine",
       {"RPM", "ETL", "PRC", "TRC", "ALF", "ALC", "HBT"},
       detail::make_engine,
       {sigma("rpm_sigma", 1000.0), {"service_rpm", 1.0, 10000.0}, kHeartbeat}},
      {"inclinometer",
       {"HRM", "XDR"},
       detail::make_inclinometer,
       {sigma("angle_sigma_deg", 90.0),
        {"roll_period_s", 1.0, 100.0},
        {"stress_still_water_mpa", -1000.0, 1000.0}}},
      {"ais", {"VDM", "VDO"}, detail::make_ais_transponder, {{"own_mmsi", 1.0, 999999999.0}}},
      {"steering_gear", {"ALF", "ALC", "HBT", "ARC"}, detail::make_steering_gear, {kHeartbeat}},
      {"fire_detection",
       {"FIR", "ALF", "ALC", "HBT", "ARC"},
       detail::make_fire_detection,
       {kHeartbeat}},
      {"door_monitoring",
       {"DOR", "ALF", "ALC", "HBT", "ARC"},
       detail::make_door_monitoring,
       {kHeartbeat}},
      {"water_level", {"WAT", "ALF", "ALC", "HBT", "ARC"}, detail::make_water_level, {kHeartbeat}},
      {"alert_management", {"ACN", "HBT"}, detail::make_alert_management, {kHeartbeat}},
  };
  return table;
}

}  // namespace

namespace {
// A formatter ("GGA") as an integer; longer names (none yet) keep their first four characters,
// which is still exact for every formatter a sensor kind can send.
std::uint32_t formatter_code(std::string_view formatter) noexcept {
  std::uint32_t code = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    code = code << 8U | (i < formatter.size() ? static_cast<unsigned char>(formatter[i]) : 0U);
  }
  return code;
}
}  // namespace

Sensor::Sensor(SensorSpec spec, const CounterRng& rng)
    : spec_(std::move(spec)), noise_(rng, "sensor:" + spec_.source + ":" + spec_.kind) {
  for (const std::string& f : spec_.sentences) formatters_.push_back(formatter_code(f));
}

void Sensor::sample_stuck(const ShipState& truth, std::int64_t epoch_s, SentenceBatch& out,
                          std::optional<NoiseAnchor>& anchor) {
  if (!anchor) anchor = NoiseAnchor{noise_.position(), wander_};
  const std::uint64_t live = noise_.position();
  std::optional<WanderingError> live_wander = wander_;
  noise_.seek(anchor->position);
  wander_ = anchor->wander;
  sample(truth, epoch_s, out);
  noise_.seek(live + (noise_.position() - anchor->position));
  if (live_wander) {
    for (std::uint64_t n = anchor->wander->steps(); n < wander_->steps(); ++n) live_wander->step();
  }
  wander_ = live_wander;
}

bool Sensor::sends(std::string_view formatter) const noexcept {
  return std::find(formatters_.begin(), formatters_.end(), formatter_code(formatter)) !=
         formatters_.end();
}

double Sensor::param(std::string_view name, double fallback) const {
  const auto it = spec_.params.find(name);
  return it == spec_.params.end() ? fallback : it->second;
}

std::unique_ptr<Sensor> make_sensor(const SensorSpec& spec, const CounterRng& rng,
                                    const SensorContext& context) {
  for (const Kind& k : kinds()) {
    if (spec.kind != k.name) continue;
    SensorSpec s = spec;
    if (s.sentences.empty()) s.sentences = k.sentences;
    for (const auto& f : s.sentences) {
      if (std::find(k.sentences.begin(), k.sentences.end(), f) == k.sentences.end()) {
        throw ConfigError("sensor " + spec.source + ": kind " + spec.kind + " cannot send " + f);
      }
    }
    return k.make(std::move(s), rng, context);
  }
  throw ConfigError("sensor " + spec.source + ": unknown kind \"" + spec.kind +
                    "\" (known: " + names_of(kinds()) + ")");
}

bool measures_quantities(std::string_view kind) {
  return kind != "steering_gear" && kind != "fire_detection" && kind != "door_monitoring" &&
         kind != "water_level" && kind != "alert_management";
}

std::vector<std::pair<std::string, std::vector<std::string>>> sensor_kinds() {
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  for (const Kind& k : kinds()) out.emplace_back(k.name, k.sentences);
  return out;
}

std::vector<SensorParameter> sensor_parameters(std::string_view kind) {
  for (const Kind& k : kinds()) {
    if (kind == k.name) return k.params;
  }
  return {};
}

}  // namespace twincert::generators
