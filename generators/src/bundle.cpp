#include "twincert/generators/bundle.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <stdexcept>
#include <string_view>

#include <nlohmann/json.hpp>

#include "twincert/generators/simulation.hpp"
#include "twincert/protocols/nmea0183/tag_block.hpp"

#include <sodium.h>

namespace twincert::generators {

namespace {

std::string to_hex(const unsigned char* bytes, std::size_t n) {
  constexpr std::string_view kHex = "0123456789abcdef";
  std::string out;
  out.reserve(2 * n);
  for (std::size_t i = 0; i < n; ++i) {
    out += kHex[bytes[i] >> 4U];
    out += kHex[bytes[i] & 0x0FU];
  }
  return out;
}

// A file written under NAME.partial, hashed as it is written, renamed to NAME on commit().
class HashedFile {
 public:
  HashedFile(const std::filesystem::path& dir, std::string name)
      : final_(dir / name), partial_(dir / (name + ".partial")), name_(std::move(name)) {
    out_.open(partial_, std::ios::binary | std::ios::trunc);
    if (!out_) throw std::runtime_error("cannot write " + partial_.string());
    crypto_hash_sha256_init(&state_);
  }
  void write(std::string_view bytes) {
    out_.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    crypto_hash_sha256_update(&state_, reinterpret_cast<const unsigned char*>(bytes.data()),
                              bytes.size());
    size_ += bytes.size();
  }
  // Closes, renames into place and returns the hex digest.
  std::string commit() {
    out_.close();
    if (!out_) throw std::runtime_error("write failed: " + partial_.string());
    std::filesystem::rename(partial_, final_);
    std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
    crypto_hash_sha256_final(&state_, digest.data());
    return to_hex(digest.data(), digest.size());
  }
  std::uint64_t size() const noexcept { return size_; }
  const std::string& name() const noexcept { return name_; }

 private:
  std::filesystem::path final_;
  std::filesystem::path partial_;
  std::string name_;
  std::ofstream out_;
  crypto_hash_sha256_state state_{};
  std::uint64_t size_ = 0;
};

double round_to(double v, double unit) {
  return std::round(v / unit) * unit;
}

nlohmann::json state_record(const ShipState& s) {
  return {{"kind", "state"},
          {"t", s.t_s},
          {"lat", round_to(s.position.lat_deg, 1e-8)},
          {"lon", round_to(s.position.lon_deg, 1e-8)},
          {"heading_deg", round_to(s.heading_deg, 1e-4)},
          {"cog_deg", round_to(s.cog_deg, 1e-4)},
          {"sog_kn", round_to(s.sog_kn, 1e-4)},
          {"stw_kn", round_to(s.stw_kn, 1e-4)},
          {"rot_deg_min", round_to(s.rot_deg_s * 60.0, 1e-4)},
          {"rudder_deg", round_to(s.rudder_deg, 1e-4)},
          {"rpm", round_to(s.rpm, 1e-3)},
          {"depth_m", round_to(s.depth_m, 1e-3)},
          {"wind_speed_kn", round_to(s.wind.speed_kn, 1e-3)},
          {"wind_from_deg", round_to(s.wind.from_deg, 1e-3)},
          {"roll_deg", round_to(s.roll_deg, 1e-4)},
          {"pitch_deg", round_to(s.pitch_deg, 1e-4)},
          {"distance_nm", round_to(s.distance_nm, 1e-6)}};
}

}  // namespace

std::string sha256_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  crypto_hash_sha256_state state{};
  crypto_hash_sha256_init(&state);
  std::array<char, 65536> buffer{};
  while (in.read(buffer.data(), buffer.size()) || in.gcount() > 0) {
    crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(buffer.data()),
                              static_cast<unsigned long long>(in.gcount()));
  }
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256_final(&state, digest.data());
  return to_hex(digest.data(), digest.size());
}

BundleSummary write_bundle(const Scenario& scenario, const BundleOptions& options) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  std::filesystem::create_directories(options.out_dir);
  const double duration = options.duration_s > 0 ? options.duration_s : scenario.duration_s;

  BundleSummary summary;
  HashedFile stream(options.out_dir, "stream.nmea");
  HashedFile truth(options.out_dir, "truth.jsonl");

  const auto put_truth = [&](const nlohmann::json& record) {
    truth.write(record.dump());
    truth.write("\n");
    ++summary.truth_records;
  };
  put_truth({{"kind", "header"},
             {"schema", "twincert.truth/1"},
             {"scenario", scenario.name},
             {"seed", options.seed},
             {"start_unix_s", scenario.start_unix_s},
             {"duration_s", duration},
             {"vessel", scenario.vessel.name}});
  for (const SensorSpec& s : scenario.sensors) {
    // Health spans: "ok" between this sensor's faults, the fault's health during each.
    std::vector<double> cuts = {0.0, duration};
    for (const FaultSpec& f : scenario.faults) {
      if (f.source != s.source) continue;
      cuts.push_back(std::min(f.start_s, duration));
      cuts.push_back(std::min(f.start_s + f.duration_s, duration));
    }
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
      std::string status = "ok";
      for (const FaultSpec& f : scenario.faults) {
        if (f.source == s.source && f.active((cuts[i] + cuts[i + 1]) / 2.0)) {
          status = fault_kind(f.kind).health;
          break;
        }
      }
      put_truth({{"kind", "sensor_health"},
                 {"source", s.source},
                 {"sensor", s.kind},
                 {"status", status},
                 {"from_s", cuts[i]},
                 {"to_s", cuts[i + 1]}});
    }
  }
  for (const FaultSpec& f : scenario.faults) {
    const double end = std::min(f.start_s + f.duration_s, duration);
    put_truth({{"kind", "fault"},
               {"fault", f.kind},
               {"source", f.source},
               {"spec", f.text},
               {"level", f.sentence_level ? "sentence" : "sensor"},
               {"from_s", f.start_s},
               {"to_s", end},
               {"params", f.params}});
    if (const std::string conclusion = expected_conclusion(f); !conclusion.empty()) {
      put_truth({{"kind", "expect"},
                 {"condition", conclusion},
                 {"source", f.source},
                 {"from_s", f.start_s},
                 {"until_s", end}});
    }
  }

  std::map<std::string, std::int64_t> line_counts;
  nmea0183::TagBlock tag;
  double next_progress = 60.0;
  Simulation simulation(scenario, options.seed);
  simulation.run(
      duration,
      [&](double t, const SensorSpec& sensor, std::string_view sentence) {
        std::int64_t& n = line_counts[sensor.source];
        n = n >= 999 ? 1 : n + 1;
        tag.unix_time = scenario.start_unix_s + static_cast<std::int64_t>(std::floor(t));
        tag.line_count = n;
        tag.relative_time = std::llround(t * 1000.0);
        tag.source = sensor.source;
        stream.write(nmea0183::format_tag_block(tag));
        stream.write(sentence);
        ++summary.sentences;
        ++summary.sentences_by_source[sensor.source];
      },
      [&](const ShipState& s) {
        put_truth(state_record(s));
        // Targets every 10 s: where they are and how close they will come.
        if (static_cast<std::int64_t>(std::llround(s.t_s)) % 10 == 0) {
          for (const Target& target : scenario.traffic) {
            const GeoPoint p = target.position_at(s.t_s);
            const Approach a = approach(s.position, s.cog_deg, s.sog_kn, target, s.t_s);
            put_truth({{"kind", "target"},
                       {"t", s.t_s},
                       {"mmsi", target.mmsi},
                       {"name", target.name},
                       {"class", target.class_b ? "B" : "A"},
                       {"lat", round_to(p.lat_deg, 1e-8)},
                       {"lon", round_to(p.lon_deg, 1e-8)},
                       {"sog_kn", target.speed_kn},
                       {"cog_deg", target.course_deg},
                       {"range_nm", round_to(a.range_nm, 1e-4)},
                       {"bearing_deg", round_to(a.bearing_deg, 1e-3)},
                       {"cpa_nm", round_to(a.cpa_nm, 1e-4)},
                       {"tcpa_min", round_to(a.tcpa_min, 1e-3)}});
          }
        }
        if (options.progress && s.t_s >= next_progress) {
          options.progress(s.t_s / duration);
          next_progress += 60.0;
        }
      });

  const std::uint64_t stream_bytes = stream.size();
  const std::uint64_t truth_bytes = truth.size();
  summary.sha256["stream.nmea"] = stream.commit();
  summary.sha256["truth.jsonl"] = truth.commit();

  nlohmann::json manifest = {
      {"schema", "twincert.manifest/1"},
      {"tool", options.tool},
      {"scenario",
       {{"name", scenario.name},
        {"origin", scenario.origin},
        {"sha256",
         [&] {
           std::array<unsigned char, crypto_hash_sha256_BYTES> d{};
           crypto_hash_sha256(d.data(),
                              reinterpret_cast<const unsigned char*>(scenario.source_text.data()),
                              scenario.source_text.size());
           return to_hex(d.data(), d.size());
         }()}}},
      {"seed", options.seed},
      {"start_unix_s", scenario.start_unix_s},
      {"duration_s", duration},
      {"counts",
       {{"sentences", summary.sentences},
        {"truth_records", summary.truth_records},
        {"sentences_by_source", summary.sentences_by_source}}},
      {"files",
       {{"stream.nmea", {{"bytes", stream_bytes}, {"sha256", summary.sha256["stream.nmea"]}}},
        {"truth.jsonl", {{"bytes", truth_bytes}, {"sha256", summary.sha256["truth.jsonl"]}}}}}};
  HashedFile manifest_file(options.out_dir, "manifest.json");
  manifest_file.write(manifest.dump(2));
  manifest_file.write("\n");
  manifest_file.commit();
  if (options.progress) options.progress(1.0);
  return summary;
}

}  // namespace twincert::generators
