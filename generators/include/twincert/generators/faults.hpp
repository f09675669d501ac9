// Fault injectors: what goes wrong, on which sensor, from when, for how long.
//
// Spec syntax (CLI --fault and scenario "faults"):  KIND:SOURCE@START+DURATION[,key=value...]
//   e.g. dropout:HE0001@600+120      frozen:GP0001@300+60     bias:HE0001@100+600,heading_deg=5
//        checksum:SD0001@60+30,probability=0.5               spike:GP0001@900+1,north_m=800
// START and DURATION take the units of --duration (s, m, h). Three levels:
//   sensor level: what the sensor measures or stamps (dropout, frozen, bias, drift, noise,
//     spike, status, time_jump, stale_time, wrong_unit);
//   sentence level: what reaches the wire (checksum, truncate, garbage, talker, duplicate,
//     range, overlength, illegal_char), each with probability=p (default 1);
//   network level: annotations for the replay to apply to the source's datagrams (loss,
//     repeat, reorder, delay, burst, flood, bad_header, oversize); the stream file is unchanged.
// The table in faults.cpp lists each kind's parameters, sensor health and the conclusion a
// correct twin must reach (docs/formats/faults.md); adding a kind is a line there plus its
// effect in distort() or corrupt() (nothing for a network kind).
// parse_fault() and the kind tables are thread-safe (the tables are built once, on first use); a
// SensorFaults keeps per-fault state and is not thread-safe: one per sensor.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "twincert/generators/random.hpp"
#include "twincert/generators/sentence_batch.hpp"
#include "twincert/generators/vessel.hpp"

namespace twincert::generators {

enum class FaultLevel { kSensor, kSentence, kNetwork };
std::string_view level_name(FaultLevel level) noexcept;

struct FaultSpec {
  std::string kind;
  std::string source;  // the sensor's system function ID
  double start_s = 0.0;
  double duration_s = 0.0;
  std::map<std::string, double> params;
  std::string text;                        // as written, for messages and the truth
  FaultLevel level = FaultLevel::kSensor;  // the kind's, resolved once when parsed

  bool active(double t_s) const noexcept { return t_s >= start_s && t_s < start_s + duration_s; }
};

// Parses a spec; throws ConfigError naming the spec and what was expected.
FaultSpec parse_fault(std::string_view spec);

struct FaultKindInfo {
  std::string_view name;
  FaultLevel level;
  std::string_view health;      // sensor health during the fault
  std::string_view conclusion;  // what a correct twin must conclude ("" = nothing detectable)
  std::string_view params;      // the keys it takes, space-separated ("offsets": the offset list)
  std::string_view effect;      // one line, for listings
};
// The kind's description; throws ConfigError for an unknown kind.
const FaultKindInfo& fault_kind(std::string_view name);
std::vector<FaultKindInfo> fault_kinds();
// What a correct twin must conclude about this fault: the kind's conclusion, or
// "position_jump" for a bias or spike that moves a position by 100 m or more, or "input_lost"
// for a certain (probability 1) network loss.
std::string expected_conclusion(const FaultSpec& fault);

// Applies the sensor-level faults active at `truth.t_s` to what the sensor measures. Returns
// false when the sensor must send nothing (dropout). `frozen` keeps the state at fault start.
class SensorFaults {
 public:
  SensorFaults(std::vector<FaultSpec> faults, const CounterRng& rng, std::string_view source);
  bool distort(const ShipState& truth, ShipState& seen);
  // Sentence-level faults: may rewrite `sentence` or add sentences to `out`.
  void corrupt(double t_s, const std::string& sentence, SentenceBatch& out);
  bool marks_invalid(double t_s) const noexcept;  // a "status" fault is active
  // The noise anchor of an active "frozen" fault (see Sensor::sample_stuck), or nullptr.
  std::optional<NoiseAnchor>* stuck_noise(double t_s) noexcept;
  bool empty() const noexcept { return faults_.empty(); }

 private:
  std::vector<FaultSpec> faults_;
  std::vector<ShipState> frozen_;  // per fault: the state at its start
  std::vector<bool> frozen_set_;
  std::vector<std::optional<NoiseAnchor>> frozen_noise_;
  std::vector<bool> spiked_;
  NoiseStream noise_;
};

}  // namespace twincert::generators
