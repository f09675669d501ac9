#include "twincert/generators/faults.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <system_error>
#include <utility>

#include "twincert/generators/config_error.hpp"
#include "twincert/generators/geodesy.hpp"
#include "twincert/generators/scenario.hpp"
#include "twincert/protocols/nmea0183/sentence.hpp"

namespace twincert::generators {

namespace {

// One line per fault kind: name, sensor health during it, the conclusion a twin must reach.
const std::vector<FaultKindInfo>& table() {
  static const std::vector<FaultKindInfo> kinds = {
      {"dropout", "missing", "input_lost", false},
      {"frozen", "frozen", "input_frozen", false},
      {"bias", "biased", "", false},
      {"drift", "drifting", "", false},
      {"noise", "noisy", "", false},
      {"spike", "spiked", "", false},
      {"status", "invalid", "input_invalid", false},
      {"checksum", "invalid", "input_invalid", true},
      {"truncate", "invalid", "input_invalid", true},
      {"garbage", "invalid", "input_invalid", true},
      {"talker", "invalid", "input_invalid", true},
      {"duplicate", "duplicated", "", true},
  };
  return kinds;
}

const std::vector<std::string>& offset_names() {
  static const std::vector<std::string> names = {
      "heading_deg",   "sog_kn",     "cog_deg", "stw_kn",   "rot_deg_s", "depth_m",
      "wind_speed_kn", "rudder_deg", "rpm",     "roll_deg", "north_m",   "east_m"};
  return names;
}

double number(std::string_view text, const std::string& spec, const char* what) {
  double v = 0.0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc{} || ptr != end) {
    throw ConfigError("fault \"" + spec + "\": " + what + " \"" + std::string(text) +
                      "\" is not a number");
  }
  return v;
}

// Adds scale * offsets to a state.
void apply_offsets(const std::map<std::string, double>& p, double scale, ShipState& s) {
  const auto get = [&](const char* k) {
    const auto it = p.find(k);
    return it == p.end() ? 0.0 : it->second * scale;
  };
  s.heading_deg = wrap_360(s.heading_deg + get("heading_deg"));
  s.cog_deg = wrap_360(s.cog_deg + get("cog_deg"));
  s.sog_kn = std::max(0.0, s.sog_kn + get("sog_kn"));
  s.stw_kn += get("stw_kn");
  s.rot_deg_s += get("rot_deg_s");
  s.depth_m = std::max(0.0, s.depth_m + get("depth_m"));
  s.wind.speed_kn = std::max(0.0, s.wind.speed_kn + get("wind_speed_kn"));
  s.rudder_deg += get("rudder_deg");
  s.rpm += get("rpm");
  s.roll_deg += get("roll_deg");
  if (get("north_m") != 0.0 || get("east_m") != 0.0) {
    s.position = advance(s.position, get("north_m"), get("east_m"));
  }
}

}  // namespace

const FaultKindInfo& fault_kind(std::string_view name) {
  for (const FaultKindInfo& k : table()) {
    if (k.name == name) return k;
  }
  std::string known;
  for (const FaultKindInfo& k : table()) known += (known.empty() ? "" : ", ") + std::string(k.name);
  throw ConfigError("unknown fault kind \"" + std::string(name) + "\" (known: " + known + ")");
}

std::vector<FaultKindInfo> fault_kinds() {
  return table();
}

std::string expected_conclusion(const FaultSpec& fault) {
  const auto get = [&](const char* k) {
    const auto it = fault.params.find(k);
    return it == fault.params.end() ? 0.0 : it->second;
  };
  constexpr double kImplausibleJumpM = 100.0;
  if ((fault.kind == "bias" || fault.kind == "spike") &&
      std::hypot(get("north_m"), get("east_m")) >= kImplausibleJumpM) {
    return "position_jump";
  }
  return std::string(fault_kind(fault.kind).conclusion);
}

FaultSpec parse_fault(std::string_view spec) {
  const std::string text(spec);
  const auto colon = spec.find(':');
  const auto at = spec.find('@');
  const auto plus = at == std::string_view::npos ? at : spec.find('+', at);
  if (colon == std::string_view::npos || at == std::string_view::npos ||
      plus == std::string_view::npos || colon > at) {
    throw ConfigError("fault \"" + text +
                      "\": expected KIND:SOURCE@START+DURATION[,key=value...], "
                      "e.g. dropout:HE0001@600+120");
  }
  FaultSpec f;
  f.text = text;
  f.kind = std::string(spec.substr(0, colon));
  const FaultKindInfo& info = fault_kind(f.kind);
  f.sentence_level = info.sentence_level;
  f.source = std::string(spec.substr(colon + 1, at - colon - 1));
  if (f.source.size() != 6) {
    throw ConfigError("fault \"" + text + "\": source \"" + f.source +
                      "\" is not a system function ID like HE0001");
  }
  const auto comma = spec.find(',', plus);
  const std::string_view duration = spec.substr(
      plus + 1, comma == std::string_view::npos ? std::string_view::npos : comma - plus - 1);
  try {
    f.start_s = std::string_view(spec.substr(at + 1, plus - at - 1)) == "0"
                    ? 0.0
                    : parse_duration_s(spec.substr(at + 1, plus - at - 1));
    f.duration_s = parse_duration_s(duration);
  } catch (const ConfigError& e) {
    throw ConfigError("fault \"" + text + "\": " + e.what());
  }
  std::size_t pos = comma;
  while (pos != std::string_view::npos) {
    const auto next = spec.find(',', pos + 1);
    const std::string_view item = spec.substr(
        pos + 1, next == std::string_view::npos ? std::string_view::npos : next - pos - 1);
    const auto eq = item.find('=');
    if (eq == std::string_view::npos) {
      throw ConfigError("fault \"" + text + "\": parameter \"" + std::string(item) +
                        "\" is not key=value");
    }
    const std::string key(item.substr(0, eq));
    const bool known =
        key == "probability" ||
        std::find(offset_names().begin(), offset_names().end(), key) != offset_names().end();
    if (!known) {
      std::string message = "fault \"";
      message += text;
      message += "\": unknown parameter \"";
      message += key;
      message += '"';
      throw ConfigError(message);
    }
    f.params[key] = number(item.substr(eq + 1), text, key.c_str());
    pos = next;
  }
  if (!info.sentence_level && f.params.contains("probability")) {
    throw ConfigError("fault \"" + text + "\": probability applies to sentence-level faults only");
  }
  return f;
}

SensorFaults::SensorFaults(std::vector<FaultSpec> faults, const CounterRng& rng,
                           std::string_view source)
    : faults_(std::move(faults)),
      frozen_(faults_.size()),
      frozen_set_(faults_.size(), false),
      spiked_(faults_.size(), false),
      noise_(rng, "faults:" + std::string(source)) {}

bool SensorFaults::distort(const ShipState& truth, ShipState& seen) {
  seen = truth;
  bool send = true;
  for (std::size_t i = 0; i < faults_.size(); ++i) {
    const FaultSpec& f = faults_[i];
    if (!f.active(truth.t_s)) continue;
    const double progress = std::clamp((truth.t_s - f.start_s) / f.duration_s, 0.0, 1.0);
    if (f.kind == "dropout") {
      send = false;
    } else if (f.kind == "frozen") {
      if (!frozen_set_[i]) {
        frozen_[i] = seen;
        frozen_set_[i] = true;
      }
      const double t = seen.t_s;
      seen = frozen_[i];
      seen.t_s = t;  // the sensor's clock goes on; its values do not
    } else if (f.kind == "bias") {
      apply_offsets(f.params, 1.0, seen);
    } else if (f.kind == "drift") {
      apply_offsets(f.params, progress, seen);
    } else if (f.kind == "noise") {
      std::map<std::string, double> draw;
      for (const auto& [k, sigma] : f.params) draw[k] = noise_.normal(sigma);
      apply_offsets(draw, 1.0, seen);
    } else if (f.kind == "spike" && !spiked_[i]) {
      apply_offsets(f.params, 1.0, seen);
      spiked_[i] = true;
    }
  }
  return send;
}

bool SensorFaults::marks_invalid(double t_s) const noexcept {
  return std::any_of(faults_.begin(), faults_.end(),
                     [&](const FaultSpec& f) { return f.kind == "status" && f.active(t_s); });
}

void SensorFaults::corrupt(double t_s, const std::string& sentence, std::vector<std::string>& out) {
  std::string s = sentence;
  bool duplicate = false;
  for (const FaultSpec& f : faults_) {
    if (!f.active(t_s) || !f.sentence_level) continue;
    const auto p = f.params.find("probability");
    if (noise_.uniform() >= (p == f.params.end() ? 1.0 : p->second)) continue;
    const auto star = s.find('*');
    if (f.kind == "checksum" && star != std::string::npos && star + 2 < s.size()) {
      s[star + 2] = s[star + 2] == '0' ? '1' : '0';  // one hex digit off: always wrong
    } else if (f.kind == "truncate" && s.size() > 10) {
      const auto keep =
          7 + static_cast<std::size_t>(noise_.uniform() * static_cast<double>(s.size() - 10));
      s = s.substr(0, keep) + "\r\n";
    } else if (f.kind == "garbage") {
      std::string junk;
      const auto n = 3 + static_cast<std::size_t>(noise_.uniform() * 12);
      for (std::size_t i = 0; i < n; ++i) {
        junk += static_cast<char>(0x80 + static_cast<int>(noise_.uniform() * 127));
      }
      s.insert(0, junk);
    } else if (f.kind == "talker" && s.size() > 3) {
      // Same formatter, another talker; the checksum is recomputed so only the talker is wrong.
      s[1] = s[1] == 'Z' ? 'Y' : 'Z';
      s[2] = 'Z';
      const auto end = s.find('*');
      const auto suffix =
          nmea0183::checksum_suffix(nmea0183::checksum_of(std::string_view(s).substr(1, end - 1)));
      s.replace(end, 3, suffix.data(), suffix.size());
    } else if (f.kind == "duplicate") {
      duplicate = true;
    }
  }
  out.push_back(s);
  if (duplicate) out.push_back(s);
}

}  // namespace twincert::generators
