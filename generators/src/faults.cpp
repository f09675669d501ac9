#include "twincert/generators/faults.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <system_error>
#include <utility>

#include "twincert/base/config_error.hpp"
#include "twincert/base/duration.hpp"
#include "twincert/generators/geodesy.hpp"
#include "twincert/generators/scenario.hpp"
#include "twincert/protocols/nmea0183/registry.hpp"
#include "twincert/protocols/nmea0183/sentence.hpp"

namespace twincert::generators {

namespace {

constexpr double kDefaultTimeJumpS = 3600.0;

constexpr auto kSensor = FaultLevel::kSensor;
constexpr auto kSentence = FaultLevel::kSentence;
constexpr auto kNetwork = FaultLevel::kNetwork;

// One line per fault kind: name, level, sensor health during it, the conclusion a twin must
// reach, its parameters, what it does.
const std::vector<FaultKindInfo>& table() {
  static const std::vector<FaultKindInfo> kinds = {
      {"dropout", kSensor, "missing", "input_lost", "", "nothing is sent"},
      {"frozen", kSensor, "frozen", "input_frozen", "", "output repeats the fault start's exactly"},
      {"bias", kSensor, "biased", "", "offsets", "offsets added"},
      {"drift", kSensor, "drifting", "", "offsets", "offsets grow from 0 to full"},
      {"noise", kSensor, "noisy", "", "offsets", "normal noise with the offsets as sigmas"},
      {"spike", kSensor, "spiked", "", "offsets", "offsets on the first sample only"},
      {"status", kSensor, "invalid", "input_invalid", "", "status V, mode N, quality 0"},
      {"time_jump", kSensor, "time_jump", "time_inconsistent", "offset_s",
       "its clock jumps by offset_s (default 3600)"},
      {"stale_time", kSensor, "stale_time", "time_inconsistent", "",
       "its clock stops at the fault start"},
      {"wrong_unit", kSensor, "wrong_unit", "", "",
       "speeds sent in km/h and depths in feet, labelled knots and metres"},
      {"checksum", kSentence, "invalid", "input_invalid", "probability", "a checksum digit off"},
      {"truncate", kSentence, "invalid", "input_invalid", "probability", "cut short"},
      {"garbage", kSentence, "invalid", "input_invalid", "probability",
       "non-ASCII bytes before the sentence"},
      {"talker", kSentence, "invalid", "input_invalid", "probability", "another talker ID"},
      {"duplicate", kSentence, "duplicated", "", "probability", "sent twice"},
      {"range", kSentence, "invalid", "input_invalid", "probability",
       "a field well formed but out of its range"},
      {"overlength", kSentence, "invalid", "input_invalid", "probability",
       "padded beyond 82 characters"},
      {"illegal_char", kSentence, "invalid", "input_invalid", "probability",
       "a reserved character (~) inside a field"},
      {"loss", kNetwork, "lossy", "", "probability",
       "datagrams lost: every one (=> input_lost) unless probability < 1"},
      {"repeat", kNetwork, "duplicated", "", "probability", "datagrams delivered twice"},
      {"reorder", kNetwork, "reordered", "", "depth", "datagrams shuffled within depth"},
      {"delay", kNetwork, "delayed", "", "delay_ms jitter_ms", "datagrams delayed"},
      {"burst", kNetwork, "bursty", "", "hold_s", "datagrams held, then released at once"},
      {"flood", kNetwork, "flooded", "", "rate_hz", "the source repeats at rate_hz"},
      {"bad_header", kNetwork, "invalid", "input_invalid", "probability",
       "IEC 61162-450 header token broken"},
      {"oversize", kNetwork, "invalid", "input_invalid", "probability",
       "datagram padded beyond the 450 size limit"},
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

// Recomputes the checksum after an edit, so only the intended damage shows.
void rechecksum(std::string& s) {
  const auto star = s.rfind('*');
  if (star == std::string::npos || star + 3 > s.size() || s.size() < 2) return;
  const auto suffix =
      nmea0183::checksum_suffix(nmea0183::checksum_of(std::string_view(s).substr(1, star - 1)));
  s.replace(star, 3, suffix.data(), suffix.size());
}

// Replaces the first numeric field that can be made well formed but out of its range, as the
// sentence's own decoder judges; leaves the sentence as it is when none can.
std::string out_of_range(const std::string& sentence) {
  const auto star = sentence.rfind('*');
  const auto first_comma = sentence.find(',');
  if (star == std::string::npos || first_comma == std::string::npos || first_comma > star) {
    return sentence;
  }
  const auto parsed = nmea0183::parse_sentence(sentence, nmea0183::Mode::kStrict);
  if (!parsed) return sentence;
  const nmea0183::SentenceType* type = nmea0183::find_sentence_type(parsed.value().formatter());
  if (type == nullptr) return sentence;
  for (auto begin = first_comma + 1; begin <= star;) {
    auto end = sentence.find(',', begin);
    if (end == std::string::npos || end > star) end = star;
    const std::string_view field(sentence.data() + begin, end - begin);
    const bool numeric = !field.empty() && std::all_of(field.begin(), field.end(), [](char c) {
      return (c >= '0' && c <= '9') || c == '.' || c == '-';
    });
    // Same shape with every digit a 9 (hour 99, a three-digit 999), then wide values.
    std::string nines(field);
    std::replace_if(
        nines.begin(), nines.end(), [](char c) { return c >= '0' && c <= '8'; }, '9');
    for (const std::string& value :
         {nines, std::string("9999999"), std::string("9999999.9"), std::string("-9999999")}) {
      if (!numeric) break;
      std::string candidate = sentence;
      candidate.replace(begin, end - begin, value);
      rechecksum(candidate);
      const auto raw = nmea0183::parse_sentence(candidate, nmea0183::Mode::kStrict);
      if (!raw) continue;
      const auto valid = type->validate(raw.value(), nmea0183::Mode::kStrict, nullptr);
      if (!valid && valid.error().code == ErrorCode::kFieldOutOfRange) return candidate;
    }
    begin = end + 1;
  }
  return sentence;
}

}  // namespace

const FaultKindInfo& fault_kind(std::string_view name) {
  for (const FaultKindInfo& k : table()) {
    if (k.name == name) return k;
  }
  throw ConfigError("unknown fault kind \"" + std::string(name) +
                    "\" (known: " + names_of(table()) + ")");
}

std::vector<FaultKindInfo> fault_kinds() {
  return table();
}

std::string_view level_name(FaultLevel level) noexcept {
  switch (level) {
    case FaultLevel::kSensor:
      return "sensor";
    case FaultLevel::kSentence:
      return "sentence";
    case FaultLevel::kNetwork:
      return "network";
  }
  return "sensor";
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
  if (fault.kind == "loss" && !fault.params.contains("probability")) return "input_lost";
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
  f.level = info.level;
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
        info.params == "offsets"
            ? std::find(offset_names().begin(), offset_names().end(), key) != offset_names().end()
            : lists_key(info.params, key);
    if (!known) {
      std::string message = "fault \"";
      message += text;
      message += "\": ";
      message += f.kind;
      message += " takes no parameter \"";
      message += key;
      message += '"';
      message += info.params.empty() ? std::string(" (it takes none)")
                                     : " (it takes: " + std::string(info.params) + ")";
      throw ConfigError(message);
    }
    f.params[key] = number(item.substr(eq + 1), text, key.c_str());
    pos = next;
  }
  if (const auto p = f.params.find("probability");
      p != f.params.end() && (p->second < 0.0 || p->second > 1.0)) {
    throw ConfigError("fault \"" + text + "\": probability must be from 0 to 1");
  }
  return f;
}

SensorFaults::SensorFaults(std::vector<FaultSpec> faults, const CounterRng& rng,
                           std::string_view source)
    : faults_(std::move(faults)),
      frozen_(faults_.size()),
      frozen_set_(faults_.size(), false),
      frozen_noise_(faults_.size()),
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
    } else if (f.kind == "time_jump") {
      const auto offset = f.params.find("offset_s");
      seen.clock_offset_s += offset == f.params.end() ? kDefaultTimeJumpS : offset->second;
    } else if (f.kind == "stale_time") {
      seen.clock_offset_s -= truth.t_s - f.start_s;
    } else if (f.kind == "wrong_unit") {
      // The classic installation error: a device configured for km/h and feet feeding an input
      // that reads knots and metres.
      seen.sog_kn *= kKmhPerKnot;
      seen.stw_kn *= kKmhPerKnot;
      seen.wind.speed_kn *= kKmhPerKnot;
      seen.depth_m *= kFeetPerMetre;
    }
  }
  return send;
}

std::optional<NoiseAnchor>* SensorFaults::stuck_noise(double t_s) noexcept {
  for (std::size_t i = 0; i < faults_.size(); ++i) {
    if (faults_[i].kind == "frozen" && faults_[i].active(t_s)) return &frozen_noise_[i];
  }
  return nullptr;
}

bool SensorFaults::marks_invalid(double t_s) const noexcept {
  return std::any_of(faults_.begin(), faults_.end(),
                     [&](const FaultSpec& f) { return f.kind == "status" && f.active(t_s); });
}

void SensorFaults::corrupt(double t_s, const std::string& sentence, SentenceBatch& out) {
  std::string s = sentence;
  bool duplicate = false;
  for (const FaultSpec& f : faults_) {
    if (!f.active(t_s) || f.level != FaultLevel::kSentence) continue;
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
      rechecksum(s);
    } else if (f.kind == "range") {
      s = out_of_range(s);
    } else if (f.kind == "overlength" && star != std::string::npos) {
      // Beyond the limit even when the CR LF is not counted.
      std::string padding;
      while (s.size() - 2 + padding.size() <= nmea0183::kMaxSentenceLength) padding += ",0";
      s.insert(star, padding);
      rechecksum(s);
    } else if (f.kind == "illegal_char") {
      const auto comma = s.find(',');
      if (comma != std::string::npos) {
        // Reserved in IEC 61162-1; never raw inside a field.
        s.insert(s.begin() + static_cast<std::ptrdiff_t>(comma) + 1, '~');
        rechecksum(s);
      }
    } else if (f.kind == "duplicate") {
      duplicate = true;
    }
  }
  out.push(s);
  if (duplicate) out.push(s);
}

}  // namespace twincert::generators
