// Fault injectors: what goes wrong, on which sensor, from when, for how long.
//
// Spec syntax (CLI --fault and scenario "faults"):  KIND:SOURCE@START+DURATION[,key=value...]
//   e.g. dropout:HE0001@600+120      frozen:GP0001@300+60     bias:HE0001@100+600,heading_deg=5
//        checksum:SD0001@60+30,probability=0.5               spike:GP0001@900+1,north_m=800
// START and DURATION take the units of --duration (s, m, h). Kinds:
//   sensor level (what the sensor measures):
//     dropout    the sensor sends nothing                          health "missing"
//     frozen     it repeats the state of the fault start           health "frozen"
//     bias       adds the given offsets                            health "biased"
//     drift      adds the offsets, growing from 0 to full          health "drifting"
//     noise      adds normal noise with the given sigmas           health "noisy"
//     spike      adds the offsets to the first sample only         health "spiked"
//     status     sends the sentence with its status/mode invalid   health "invalid"
//   sentence level (what reaches the wire), each with optional probability=p (default 1):
//     checksum   wrong checksum                                    health "invalid"
//     truncate   sentence cut short                                health "invalid"
//     garbage    random bytes before the sentence                  health "invalid"
//     talker     wrong talker ID                                   health "invalid"
//     duplicate  sentence sent twice                               health "duplicated"
// Offsets (bias, drift, noise, spike): heading_deg, sog_kn, cog_deg, stw_kn, rot_deg_s,
// depth_m, wind_speed_kn, rudder_deg, rpm, roll_deg, north_m, east_m.
//
// Each fault is recorded in the truth with the conclusion a correct twin must reach
// (docs/formats/truth.md). Adding a kind is one line in the table in faults.cpp.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "twincert/generators/random.hpp"
#include "twincert/generators/vessel.hpp"

namespace twincert::generators {

struct FaultSpec {
  std::string kind;
  std::string source;  // the sensor's system function ID
  double start_s = 0.0;
  double duration_s = 0.0;
  std::map<std::string, double> params;
  std::string text;             // as written, for messages and the truth
  bool sentence_level = false;  // the kind's level, resolved once when parsed

  bool active(double t_s) const noexcept { return t_s >= start_s && t_s < start_s + duration_s; }
};

// Parses a spec; throws ConfigError naming the spec and what was expected.
FaultSpec parse_fault(std::string_view spec);

struct FaultKindInfo {
  std::string_view name;
  std::string_view health;      // sensor health during the fault
  std::string_view conclusion;  // what a correct twin must conclude ("" = nothing detectable)
  bool sentence_level;
};
// The kind's description; throws ConfigError for an unknown kind.
const FaultKindInfo& fault_kind(std::string_view name);
std::vector<FaultKindInfo> fault_kinds();
// What a correct twin must conclude about this fault: the kind's conclusion, or
// "position_jump" for a bias or spike that moves a position by 100 m or more.
std::string expected_conclusion(const FaultSpec& fault);

// Applies the sensor-level faults active at `truth.t_s` to what the sensor measures. Returns
// false when the sensor must send nothing (dropout). `frozen` keeps the state at fault start.
class SensorFaults {
 public:
  SensorFaults(std::vector<FaultSpec> faults, const CounterRng& rng, std::string_view source);
  bool distort(const ShipState& truth, ShipState& seen);
  // Sentence-level faults: may rewrite `sentence` or add sentences to `out`.
  void corrupt(double t_s, const std::string& sentence, std::vector<std::string>& out);
  bool marks_invalid(double t_s) const noexcept;  // a "status" fault is active
  bool empty() const noexcept { return faults_.empty(); }

 private:
  std::vector<FaultSpec> faults_;
  std::vector<ShipState> frozen_;  // per fault: the state at its start
  std::vector<bool> frozen_set_;
  std::vector<bool> spiked_;
  NoiseStream noise_;
};

}  // namespace twincert::generators
