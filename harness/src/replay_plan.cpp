#include "twincert/harness/replay_plan.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "twincert/base/config_error.hpp"
#include "twincert/harness/capture.hpp"
#include "twincert/protocols/iec61162_450/datagram.hpp"
#include "twincert/protocols/nmea0183/tag_block.hpp"

namespace twincert::harness {

namespace {

constexpr double kUntimedSpacingS = 0.1;
constexpr std::size_t kOversizePadding = 1600;

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError("cannot read " + path.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string_view formatter_of(std::string_view line) {
  const std::string_view s = sentence_of(line);
  const auto comma = s.find(',');
  const std::string_view address = s.substr(0, comma);
  return address.size() >= 6 ? address.substr(3, 3) : std::string_view{};
}

// The value of `key` ("s:") in a tag block's text, up to the next ',' or '*'.
std::optional<std::string_view> tag_value(std::string_view tag, std::string_view key) {
  for (std::size_t at = tag.find(key); at != std::string_view::npos; at = tag.find(key, at + 1)) {
    if (at != 1 && tag[at - 1] != ',') continue;  // "ns:" is not "s:"
    const std::string_view rest = tag.substr(at + key.size());
    return rest.substr(0, rest.find_first_of(",*"));
  }
  return std::nullopt;
}

std::optional<std::int64_t> tag_number(std::string_view tag, std::string_view key) {
  const auto text = tag_value(tag, key);
  if (!text) return std::nullopt;
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc{} || end != text->data() + text->size()) return std::nullopt;
  return value;
}

std::string talker_source(std::string_view line) {
  const std::string_view s = sentence_of(line);
  return s.size() >= 3 ? std::string(s.substr(1, 2)) + "0001" : std::string{};
}

// splitmix64: a counter-based draw, so each fault's decisions depend only on the seed, the fault
// and the frame, never on how many draws came before.
double draw(std::uint64_t seed, std::uint64_t stream, std::uint64_t counter) {
  std::uint64_t z = seed ^ (stream * 0x9E3779B97F4A7C15ULL) ^ (counter * 0xBF58476D1CE4E5B9ULL);
  z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
  z ^= z >> 31U;
  return static_cast<double>(z >> 11U) * 0x1.0p-53;
}

double param(const NetworkFault& f, std::string_view key, double fallback) {
  const auto it = f.params.find(key);
  return it == f.params.end() ? fallback : it->second;
}

std::vector<NetworkFault> network_faults_of(const std::filesystem::path& truth) {
  std::vector<NetworkFault> out;
  std::ifstream in(truth);
  for (std::string line; std::getline(in, line);) {
    const auto r = nlohmann::json::parse(line, nullptr, false);
    if (r.is_discarded() || r.value("kind", "") != "fault" || r.value("level", "") != "network") {
      continue;
    }
    NetworkFault f;
    f.kind = r.value("fault", "");
    f.source = r.value("source", "");
    f.from_s = r.value("from_s", 0.0);
    f.to_s = r.value("to_s", 0.0);
    if (r.contains("params") && r["params"].is_object()) {
      for (const auto& [k, v] : r["params"].items()) {
        if (v.is_number()) f.params.emplace(k, v.get<double>());
      }
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace

std::string_view sentence_of(std::string_view line) {
  if (!line.starts_with('\\')) return line;
  const auto close = line.find('\\', 1);
  return close == std::string_view::npos ? std::string_view{} : line.substr(close + 1);
}

std::vector<Frame> frames_of(std::string_view text) {
  std::vector<Frame> frames;
  std::optional<std::int64_t> first_c;
  std::size_t index = 0;
  while (!text.empty()) {
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
    if (line.empty() || line.starts_with('#')) continue;
    Frame f;
    f.line = std::string(line);
    f.at_s = static_cast<double>(index) * kUntimedSpacingS;
    f.source = talker_source(line);
    if (line.starts_with('\\')) {
      // Read by hand, not with parse_tag_block: a damaged tag block (a wrong checksum is one
      // of the faults a replay carries) still says when and from where.
      const std::string_view tag = line.substr(0, line.find('\\', 1));
      if (const auto s = tag_value(tag, "s:")) f.source = std::string(*s);
      if (const auto r = tag_number(tag, "r:")) {
        f.at_s = static_cast<double>(*r) / 1000.0;
      } else if (const auto c = tag_number(tag, "c:")) {
        if (!first_c) first_c = c;
        f.at_s = static_cast<double>(*c - *first_c);
      }
    }
    frames.push_back(std::move(f));
    ++index;
  }
  std::stable_sort(frames.begin(), frames.end(),
                   [](const Frame& a, const Frame& b) { return a.at_s < b.at_s; });
  return frames;
}

std::size_t frames_without_sentence(const std::vector<Frame>& frames) {
  return static_cast<std::size_t>(std::count_if(frames.begin(), frames.end(), [](const Frame& f) {
    const std::string_view s = sentence_of(f.line);
    return !s.starts_with('$') && !s.starts_with('!');
  }));
}

ReplayPlan load_plan(const std::filesystem::path& path) {
  ReplayPlan plan;
  plan.origin = path.string();
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    const auto stream = path / "stream.nmea";
    if (!std::filesystem::exists(stream)) {
      throw ConfigError(path.string() + " is not a stream bundle (no stream.nmea in it)");
    }
    plan.frames = frames_of(read_file(stream));
    if (std::filesystem::exists(path / "truth.jsonl")) {
      plan.faults = network_faults_of(path / "truth.jsonl");
    }
    if (std::filesystem::exists(path / "manifest.json")) {
      const auto m = nlohmann::json::parse(read_file(path / "manifest.json"), nullptr, false);
      if (!m.is_discarded() && m.contains("seed") && m["seed"].is_number_unsigned()) {
        plan.seed = m["seed"].get<std::uint64_t>();
      }
    }
    apply_network_faults(plan.frames, plan.faults, plan.seed);
  } else if (is_capture_file(path)) {
    plan.frames = frames_of_capture(path).frames;
  } else {
    plan.frames = frames_of(read_file(path));
  }
  return plan;
}

namespace {

// One frame inside a fault's span: appends what the wire gets instead (nothing, the frame,
// copies, or the frame moved or damaged). `u` is the frame's uniform draw.
void fault_one(const NetworkFault& f, const Frame& frame, double next_at_s, double u,
               std::vector<Frame>& out) {
  const double p = param(f, "probability", 1.0);
  Frame fr = frame;
  if (f.kind == "loss") {
    if (u < p) return;
  } else if (f.kind == "repeat") {
    if (u < p) out.push_back(fr);
  } else if (f.kind == "delay") {
    const double jitter = param(f, "jitter_ms", 0.0) * (2.0 * u - 1.0);
    fr.at_s += std::max(0.0, (param(f, "delay_ms", 500.0) + jitter) / 1000.0);
  } else if (f.kind == "burst") {
    const double hold = std::max(0.001, param(f, "hold_s", 5.0));
    fr.at_s = f.from_s + std::ceil((fr.at_s - f.from_s) / hold + 1e-9) * hold;
  } else if (f.kind == "flood") {
    // Copies at rate_hz until the source's next frame (at most a second of them).
    const double rate = std::max(1.0, param(f, "rate_hz", 100.0));
    const double until = std::min({next_at_s, f.to_s, fr.at_s + 1.0});
    const auto copies = static_cast<int>(std::ceil((until - fr.at_s) * rate)) - 1;
    for (int k = 1; k <= copies; ++k) {
      Frame copy = fr;
      copy.at_s = fr.at_s + static_cast<double>(k) / rate;
      out.push_back(std::move(copy));
    }
  } else if (f.kind == "bad_header") {
    if (u < p) fr.damage = Damage::kBadHeader;
  } else if (f.kind == "oversize") {
    if (u < p) fr.damage = Damage::kOversize;
  }
  out.push_back(std::move(fr));
}

// Swaps each frame of the span with one up to `depth` places later; send times stay in place.
void reorder(const NetworkFault& f, std::uint64_t seed, std::uint64_t stream,
             const std::vector<std::size_t>& span, std::vector<Frame>& frames) {
  const auto depth = static_cast<std::size_t>(std::max(1.0, param(f, "depth", 4.0)));
  for (std::size_t k = 0; k < span.size(); ++k) {
    const auto j =
        k + static_cast<std::size_t>(draw(seed, stream, k) * static_cast<double>(depth + 1));
    if (j >= span.size() || j == k) continue;
    std::swap(frames[span[k]].line, frames[span[j]].line);
  }
}

}  // namespace

void apply_network_faults(std::vector<Frame>& frames, const std::vector<NetworkFault>& faults,
                          std::uint64_t seed) {
  constexpr std::uint64_t kReorderStreams = 1000;
  for (std::size_t fi = 0; fi < faults.size(); ++fi) {
    const NetworkFault& f = faults[fi];
    std::vector<Frame> out;
    out.reserve(frames.size());
    std::vector<std::size_t> span;  // where the span's frames went in `out` (reorder)
    for (std::size_t i = 0; i < frames.size(); ++i) {
      const Frame& fr = frames[i];
      if (fr.source != f.source || fr.at_s < f.from_s || fr.at_s >= f.to_s) {
        out.push_back(fr);
        continue;
      }
      if (f.kind == "reorder") {
        span.push_back(out.size());
        out.push_back(fr);
        continue;
      }
      double next = fr.at_s + 1.0;  // only a flood needs the source's next frame
      for (std::size_t k = i + 1; f.kind == "flood" && k < frames.size(); ++k) {
        if (frames[k].source == fr.source) {
          next = frames[k].at_s;
          break;
        }
      }
      fault_one(f, fr, next, draw(seed, fi, i), out);
    }
    if (f.kind == "reorder") reorder(f, seed, fi + kReorderStreams, span, out);
    std::stable_sort(out.begin(), out.end(),
                     [](const Frame& a, const Frame& b) { return a.at_s < b.at_s; });
    frames = std::move(out);
  }
}

void filter_formatters(std::vector<Frame>& frames, const std::vector<std::string>& formatters) {
  if (formatters.empty()) return;
  std::erase_if(frames, [&](const Frame& f) {
    return std::find(formatters.begin(), formatters.end(), formatter_of(f.line)) ==
           formatters.end();
  });
}

std::string encode_frame(const Frame& frame, WireFormat format,
                         std::map<std::string, std::int64_t>& line_counts) {
  switch (format) {
    case WireFormat::kLines:
      return frame.line + "\r\n";
    case WireFormat::kSentences:
      return std::string(sentence_of(frame.line)) + "\r\n";
    case WireFormat::k450:
      break;
  }
  std::string out(iec61162_450::kSentenceToken);
  if (frame.line.starts_with('\\') && frame.line.find("s:") != std::string::npos) {
    out += frame.line;
  } else {
    nmea0183::TagBlock tag;
    tag.source = frame.source;
    auto& n = line_counts[frame.source];
    n = iec61162_450::next_line_count(n);
    tag.line_count = n;
    nmea0183::append_tag_block(tag, out);
    out += sentence_of(frame.line);
  }
  out += "\r\n";
  if (frame.damage == Damage::kBadHeader) out[4] = 'X';
  if (frame.damage == Damage::kOversize) out.append(kOversizePadding, ' ');
  return out;
}

}  // namespace twincert::harness
