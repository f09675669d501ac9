// What the sensor implementations share (private to the generators library): number and time
// formatting, sampling on a period, and the bridge-alert reporting of alert sources.
#pragma once

#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "twincert/generators/alerts.hpp"
#include "twincert/generators/sensors.hpp"
#include "twincert/generators/simulation.hpp"
#include "twincert/protocols/nmea0183/fields.hpp"

namespace twincert::generators::detail {

inline nmea0183::Decimal dec(double v, int decimals) {
  return nmea0183::Decimal::from_double(v, decimals);
}

// UTC time of day and date of epoch_s + t_s, with hundredths of a second.
struct UtcParts {
  nmea0183::UtcTime time;
  int day = 1;
  int month = 1;
  int year = 1970;
};
UtcParts utc_at(std::int64_t epoch_s, double t_s);
// The time a sensor stamps on a sample: the true time plus any clock fault.
inline UtcParts sensor_utc(std::int64_t epoch_s, const ShipState& s) {
  return utc_at(epoch_s, s.t_s + s.clock_offset_s);
}

// Simulation ticks (0.1 s) as integers, so periodic output never drifts.
inline std::int64_t tick_of(double t_s) {
  return static_cast<std::int64_t>(t_s * static_cast<double>(kTicksPerSecond) +
                                   (t_s >= 0 ? 0.5 : -0.5));
}
// The sensor's sampling period in ticks: the simulation samples it every so many.
std::int64_t period_ticks(const SensorSpec& spec);
// Whether a multiple of `every_ticks` falls in this sample's window (the period ending now).
inline bool due(std::int64_t tick, std::int64_t window_ticks, std::int64_t every_ticks) {
  return tick % every_ticks < window_ticks;
}
// Whether the instant `at_s` falls in this sample's window (the period ending now); never for an
// infinite instant (an alert not rectified within the run).
inline bool in_window(std::int64_t tick, std::int64_t window_ticks, double at_s) {
  if (!std::isfinite(at_s)) return false;
  const std::int64_t at = tick_of(at_s);
  return at > tick - window_ticks && at <= tick;
}

// Bridge alert management output of one alert source: ALF when one of its alerts changes
// state, ARC when it refuses the alert management's acknowledgement, ALC every 30 s, HBT every
// `heartbeat_s`. Stateless: everything follows from the alert timelines and the time.
class BamReporter {
 public:
  BamReporter(const Sensor& sensor, std::string_view source_kind,
              const std::vector<AlertTimeline>* all);
  void report(const ShipState& s, std::int64_t epoch_s, SentenceBatch& out) const;

 private:
  void alf(const AlertTimeline& a, double at_s, std::int64_t epoch_s, double clock_offset_s,
           SentenceBatch& out) const;
  void alc(const ShipState& s, SentenceBatch& out) const;

  const Sensor& sensor_;
  std::vector<const AlertTimeline*> mine_;
};

// The heartbeat every alert source and the alert management send.
void heartbeat(const Sensor& sensor, const ShipState& s, SentenceBatch& out);

// The measuring sensors, one file per group: gnss.cpp; navigation_sensors.cpp (gyro, rate of
// turn, speed log, echo sounder, anemometer); machinery_sensors.cpp (rudder, engine,
// inclinometer); ais_transponder.cpp. sensors.cpp's kind table names each factory.
std::unique_ptr<Sensor> make_gnss(SensorSpec spec, const CounterRng& rng,
                                  const SensorContext& context);
std::unique_ptr<Sensor> make_gyro(SensorSpec spec, const CounterRng& rng,
                                  const SensorContext& context);
std::unique_ptr<Sensor> make_rate_of_turn(SensorSpec spec, const CounterRng& rng,
                                          const SensorContext& context);
std::unique_ptr<Sensor> make_speed_log(SensorSpec spec, const CounterRng& rng,
                                       const SensorContext& context);
std::unique_ptr<Sensor> make_echo_sounder(SensorSpec spec, const CounterRng& rng,
                                          const SensorContext& context);
std::unique_ptr<Sensor> make_anemometer(SensorSpec spec, const CounterRng& rng,
                                        const SensorContext& context);
std::unique_ptr<Sensor> make_rudder(SensorSpec spec, const CounterRng& rng,
                                    const SensorContext& context);
std::unique_ptr<Sensor> make_engine(SensorSpec spec, const CounterRng& rng,
                                    const SensorContext& context);
std::unique_ptr<Sensor> make_inclinometer(SensorSpec spec, const CounterRng& rng,
                                          const SensorContext& context);
std::unique_ptr<Sensor> make_ais_transponder(SensorSpec spec, const CounterRng& rng,
                                             const SensorContext& context);

// The ship-systems sensors (ship_systems.cpp).
std::unique_ptr<Sensor> make_steering_gear(SensorSpec spec, const CounterRng& rng,
                                           const SensorContext& context);
std::unique_ptr<Sensor> make_fire_detection(SensorSpec spec, const CounterRng& rng,
                                            const SensorContext& context);
std::unique_ptr<Sensor> make_door_monitoring(SensorSpec spec, const CounterRng& rng,
                                             const SensorContext& context);
std::unique_ptr<Sensor> make_water_level(SensorSpec spec, const CounterRng& rng,
                                         const SensorContext& context);
std::unique_ptr<Sensor> make_alert_management(SensorSpec spec, const CounterRng& rng,
                                              const SensorContext& context);

}  // namespace twincert::generators::detail
