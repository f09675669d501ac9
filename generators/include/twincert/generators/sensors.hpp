// Sensors: each turns the true own-ship state into the sentences a real device of its kind
// sends, with its own talker, source (system function ID), rate and noise. Noise comes from the
// sensor's own counter-based stream, so adding a sensor never changes another's output.
//
// Kinds (SensorSpec::kind): gnss (GGA RMC VTG ZDA GLL GNS, GSA GSV every 5 s), gyro (HDT THS),
// rate_of_turn (ROT), speed_log (VBW VHW VLW), echo_sounder (DPT DBT), anemometer (MWV MWD),
// rudder (RSA), engine (RPM ETL PRC TRC and its alerts), inclinometer (HRM, XDR with pitch,
// roll, accelerations and hull stress), ais (VDM for every target: types 1/5 for class A, 18/24
// for class B at their reporting intervals; VDO for the own ship), steering_gear,
// fire_detection (FIR), door_monitoring (DOR), water_level (WAT) — each an alert source sending
// ALF on every change of its alerts, ALC every 30 s, HBT every 60 s and ARC when it refuses an
// acknowledgement — and alert_management (ACN acknowledgements, HBT). A sensor object keeps its
// noise counters: one per stream.
// A Sensor is not thread-safe; make_sensor() and the kind tables are thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "twincert/generators/alerts.hpp"
#include "twincert/generators/random.hpp"
#include "twincert/generators/sentence_batch.hpp"
#include "twincert/generators/traffic.hpp"
#include "twincert/generators/vessel.hpp"

namespace twincert::generators {

struct SensorSpec {
  std::string kind;
  std::string source;  // SFI, e.g. "GP0001"; also the tag block s:
  std::string talker;  // e.g. "GP"
  double rate_hz = 1.0;
  std::vector<std::string> sentences;  // which formatters to send; empty = the kind's default
  // Noise and installation parameters, kind-specific.
  std::map<std::string, double, std::less<>> params;
};

// What a sensor can know beyond the ship's state: the vessel it is fitted to, the traffic an AIS
// receiver hears and the alerts of the ship's alert sources. All must outlive the sensor.
struct SensorContext {
  const VesselClass* vessel = nullptr;
  const std::vector<Target>* traffic = nullptr;
  const std::vector<AlertTimeline>* alerts = nullptr;
};

class Sensor {
 public:
  virtual ~Sensor() = default;
  const SensorSpec& spec() const noexcept { return spec_; }
  // Appends the sentences (with CR LF) of one sample taken at truth.t_s; epoch_s is the UNIX
  // time of the scenario start.
  virtual void sample(const ShipState& truth, std::int64_t epoch_s, SentenceBatch& out) = 0;
  // While set, the sensor flags its data invalid (status V, mode N, GGA quality 0) where its
  // sentences have a status; sentences without one (HDT, DPT, DBT) are sent as usual.
  void set_invalid(bool invalid) noexcept { invalid_ = invalid; }
  // A stuck sensor: samples `truth` with the noise (and wandering error) it had when it got
  // stuck (`anchor`, set on the first call), so its values repeat exactly, while its clock goes
  // on; then moves its noise and wandering error on as a live sample would, so that the stream
  // after the fault is unchanged.
  void sample_stuck(const ShipState& truth, std::int64_t epoch_s, SentenceBatch& out,
                    std::optional<NoiseAnchor>& anchor);
  bool sends(std::string_view formatter) const noexcept;
  double param(std::string_view name, double fallback) const;
  bool invalid() const noexcept { return invalid_; }

 protected:
  Sensor(SensorSpec spec, const CounterRng& rng);
  NoiseStream& noise() noexcept { return noise_; }
  // A sensor whose error wanders (GNSS) sets one up once and steps it in each sample.
  void set_wander(const WanderingError& wander) { wander_ = wander; }
  WanderingError& wander() noexcept { return *wander_; }
  char status() const noexcept { return invalid_ ? 'V' : 'A'; }
  char mode() const noexcept { return invalid_ ? 'N' : 'A'; }

 private:
  SensorSpec spec_;
  // spec_.sentences as three-letter codes packed into integers: sends() is asked several times
  // per sample, and comparing strings was a measurable share of generation.
  std::vector<std::uint32_t> formatters_;
  NoiseStream noise_;
  std::optional<WanderingError> wander_;
  bool invalid_ = false;
};

// Throws ConfigError for an unknown kind or sentence.
std::unique_ptr<Sensor> make_sensor(const SensorSpec& spec, const CounterRng& rng,
                                    const SensorContext& context = {});

// Whether a kind measures quantities (so offsets and noise can falsify it); alert sources and the
// alert management report states.
bool measures_quantities(std::string_view kind);

// The sensor kinds, with their default sentences, for listings and validation.
std::vector<std::pair<std::string, std::vector<std::string>>> sensor_kinds();

// A parameter a sensor kind takes in its "params", with the values it accepts.
struct SensorParameter {
  std::string name;
  double min;
  double max;
};
// The parameters of a kind (none for an unknown kind): scenario files are checked against them,
// so a misspelt name or an impossible value is an error, not silently the default.
std::vector<SensorParameter> sensor_parameters(std::string_view kind);

}  // namespace twincert::generators
