#include "twincert/generators/bundle.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string_view>
#include <tuple>

#include <nlohmann/json.hpp>

#include "twincert/generators/alerts.hpp"
#include "twincert/generators/simulation.hpp"
#include "twincert/protocols/iec61162_450/datagram.hpp"
#include "twincert/protocols/iec61162_450/transmission_groups.hpp"
#include "twincert/protocols/nmea0183/tag_block.hpp"

#include "pcap_writer.hpp"
#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

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

// Turns a condition sampled once a second into [from, until) spans.
class SpanRecorder {
 public:
  void observe(double t_s, bool on) {
    if (on && !open_) {
      open_ = true;
      from_ = t_s;
    } else if (!on && open_) {
      open_ = false;
      spans_.emplace_back(from_, t_s);
    }
  }
  std::vector<std::pair<double, double>> spans(double end_s) const {
    auto out = spans_;
    if (open_) out.emplace_back(from_, end_s);
    return out;
  }

 private:
  bool open_ = false;
  double from_ = 0.0;
  std::vector<std::pair<double, double>> spans_;
};

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

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(bytes.data()),
                     bytes.size());
  return to_hex(digest.data(), digest.size());
}

void write_file_atomically(const std::filesystem::path& path, std::string_view bytes) {
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  const auto partial = std::filesystem::path(path.string() + ".partial");
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) {
      throw std::filesystem::filesystem_error("cannot write", partial,
                                              std::error_code(errno, std::generic_category()));
    }
  }
  if (const int fd = ::open(partial.c_str(), O_RDONLY); fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
  std::filesystem::rename(partial, path);
}

namespace {

using PutTruth = std::function<void(const nlohmann::json&)>;

// Health spans per sensor: "ok" between its faults, the fault's health during each, and
// "missing" through every blackout.
void put_health(const Scenario& scenario, double duration, const PutTruth& put) {
  std::vector<const Event*> blackouts;
  for (const Event& e : scenario.events) {
    if (e.kind == "blackout") blackouts.push_back(&e);
  }
  for (const SensorSpec& s : scenario.sensors) {
    std::vector<double> cuts = {0.0, duration};
    for (const FaultSpec& f : scenario.faults) {
      if (f.source != s.source) continue;
      cuts.push_back(std::min(f.start_s, duration));
      cuts.push_back(std::min(f.start_s + f.duration_s, duration));
    }
    for (const Event* e : blackouts) {
      cuts.push_back(std::min(e->at_s, duration));
      cuts.push_back(std::min(e->end_s(), duration));
    }
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
      const double mid = (cuts[i] + cuts[i + 1]) / 2.0;
      std::string status = "ok";
      const auto fault =
          std::find_if(scenario.faults.begin(), scenario.faults.end(),
                       [&](const FaultSpec& f) { return f.source == s.source && f.active(mid); });
      if (fault != scenario.faults.end()) status = fault_kind(fault->kind).health;
      if (std::any_of(blackouts.begin(), blackouts.end(),
                      [&](const Event* e) { return e->active(mid); })) {
        status = "missing";
      }
      put({{"kind", "sensor_health"},
           {"source", s.source},
           {"sensor", s.kind},
           {"status", status},
           {"from_s", cuts[i]},
           {"to_s", cuts[i + 1]}});
    }
  }
}

// What the scenario plans: its faults and events, the conclusions they call for, and the
// bridge alerts the stream carries.
void put_plan(const Scenario& scenario, const std::vector<AlertTimeline>& alerts, double duration,
              const PutTruth& put) {
  for (const FaultSpec& f : scenario.faults) {
    const double end = std::min(f.start_s + f.duration_s, duration);
    put({{"kind", "fault"},
         {"fault", f.kind},
         {"source", f.source},
         {"spec", f.text},
         {"level", level_name(f.level)},
         {"from_s", f.start_s},
         {"to_s", end},
         {"params", f.params}});
    if (const std::string conclusion = expected_conclusion(f); !conclusion.empty()) {
      put({{"kind", "expect"},
           {"condition", conclusion},
           {"source", f.source},
           {"from_s", f.start_s},
           {"until_s", end}});
    }
  }
  for (const Event& e : scenario.events) {
    const double end = std::min(e.end_s(), duration);
    put({{"kind", "event"},
         {"event", e.kind},
         {"from_s", e.at_s},
         {"to_s", end},
         {"params", e.params}});
    const std::string_view conclusion = conclusion_of(e, scenario.anchorage.has_value());
    if (conclusion.empty() || e.at_s >= duration) continue;
    put({{"kind", "expect"},
         {"condition", conclusion},
         {"source", "ship"},
         {"from_s", e.at_s},
         {"until_s", end}});
  }
  const auto finite = [&](double t) -> nlohmann::json {
    return std::isfinite(t) && t < duration ? nlohmann::json(t) : nlohmann::json(nullptr);
  };
  for (const AlertTimeline& a : alerts) {
    put({{"kind", "alert"},
         {"condition", a.definition->condition},
         {"sensor", a.definition->source_kind},
         {"manufacturer", kAlertManufacturer},
         {"alert_id", a.definition->alert_id},
         {"instance", a.instance},
         {"category", std::string(1, a.definition->category)},
         {"priority", std::string(1, a.definition->priority)},
         {"raised_s", a.raised_s},
         {"acknowledged_s", finite(a.acknowledged_s)},
         {"rectified_s", finite(a.rectified_s)}});
  }
}

// Where each target is and how close it will come (every 10 s); `approaches` in traffic order.
void put_targets(const Scenario& scenario, const ShipState& s,
                 const std::vector<Approach>& approaches, const PutTruth& put) {
  if (static_cast<std::int64_t>(std::llround(s.t_s)) % 10 != 0) return;
  for (std::size_t i = 0; i < scenario.traffic.size(); ++i) {
    const Target& target = scenario.traffic[i];
    const GeoPoint p = target.position_at(s.t_s);
    const Approach& a = approaches[i];
    put({{"kind", "target"},
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

// Conclusions drawn from the true state as it unfolds: shallow water under the keel, and each
// target coming closer than the CPA limit within the TCPA limit.
class StateConclusions {
 public:
  explicit StateConclusions(const Scenario& scenario) : scenario_(scenario) {}
  // `approaches`: each target's, in traffic order.
  void observe(const ShipState& s, const std::vector<Approach>& approaches) {
    const AlertLimits& limits = scenario_.limits;
    shallow_.observe(s.t_s, s.depth_m < limits.shallow_water_m);
    for (std::size_t i = 0; i < scenario_.traffic.size(); ++i) {
      const Approach& a = approaches[i];
      close_quarters_[scenario_.traffic[i].mmsi].observe(
          s.t_s, a.cpa_nm < limits.cpa_nm && a.tcpa_min >= 0.0 && a.tcpa_min <= limits.tcpa_min);
    }
  }
  void put(double duration, const PutTruth& put) const {
    const AlertLimits& limits = scenario_.limits;
    for (const auto& [from, until] : shallow_.spans(duration)) {
      put({{"kind", "expect"},
           {"condition", "shallow_water"},
           {"source", "ship"},
           {"from_s", from},
           {"until_s", until},
           {"limit_m", limits.shallow_water_m}});
    }
    for (const auto& [mmsi, recorder] : close_quarters_) {
      for (const auto& [from, until] : recorder.spans(duration)) {
        put({{"kind", "expect"},
             {"condition", "close_quarters"},
             {"source", "ship"},
             {"mmsi", mmsi},
             {"from_s", from},
             {"until_s", until},
             {"cpa_limit_nm", limits.cpa_nm},
             {"tcpa_limit_min", limits.tcpa_min}});
      }
    }
  }

 private:
  const Scenario& scenario_;
  SpanRecorder shallow_;
  std::map<std::uint32_t, SpanRecorder> close_quarters_;
};

// The wire view (stream.pcap): each sensor a host on the 450 network sending one datagram per
// line to its talker's transmission group.
class WireView {
 public:
  WireView(const Scenario& scenario, const std::filesystem::path& dir)
      : file_(dir, "stream.pcap"),
        writer_([this](std::string_view bytes) { file_.write(bytes); }),
        epoch_(scenario.start_unix_s) {
    for (std::size_t i = 0; i < scenario.sensors.size(); ++i) {
      const SensorSpec& s = scenario.sensors[i];
      const auto group = iec61162_450::default_group_for_talker(s.talker).value_or(
          iec61162_450::TransmissionGroup::kMisc);
      hosts_[s.source] = {static_cast<std::uint8_t>(1 + i % 254),
                          &iec61162_450::endpoint_of(group)};
    }
  }
  void send(double t, const std::string& source, std::string_view tag, std::string_view sentence) {
    datagram_.assign(iec61162_450::kSentenceToken);
    datagram_ += tag;
    datagram_ += sentence;
    const auto& [host, group] = hosts_.at(source);
    writer_.write(epoch_ * 1000000 + std::llround(t * 1e6), host, group->address, group->port,
                  datagram_);
  }
  // Closes, renames into place; returns {bytes, sha256}.
  std::pair<std::uint64_t, std::string> commit() {
    writer_.close();
    const std::uint64_t bytes = file_.size();
    return {bytes, file_.commit()};
  }

 private:
  HashedFile file_;
  detail::PcapWriter writer_;
  std::int64_t epoch_;
  std::map<std::string, std::pair<std::uint8_t, const iec61162_450::GroupEndpoint*>> hosts_;
  std::string datagram_;
};

}  // namespace

BundleSummary write_bundle(const Scenario& scenario, const BundleOptions& options) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  std::filesystem::create_directories(options.out_dir);
  const double duration = options.duration_s > 0 ? options.duration_s : scenario.duration_s;

  BundleSummary summary;
  HashedFile stream(options.out_dir, "stream.nmea");
  HashedFile truth(options.out_dir, "truth.jsonl");
  const PutTruth put_truth = [&](const nlohmann::json& record) {
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
  Simulation simulation(scenario, options.seed);
  put_health(scenario, duration, put_truth);
  put_plan(scenario, simulation.alerts(), duration, put_truth);

  StateConclusions conclusions(scenario);
  std::unique_ptr<WireView> wire;
  if (options.pcap) wire = std::make_unique<WireView>(scenario, options.out_dir);
  std::map<std::string, std::int64_t> line_counts;
  nmea0183::TagBlock tag;
  double next_progress = 60.0;
  std::vector<Approach> approaches;
  simulation.run(
      duration,
      [&](double t, const SensorSpec& sensor, std::string_view sentence) {
        std::int64_t& n = line_counts[sensor.source];
        n = iec61162_450::next_line_count(n);
        tag.unix_time = scenario.start_unix_s + static_cast<std::int64_t>(std::floor(t));
        tag.line_count = n;
        tag.relative_time = std::llround(t * 1000.0);
        tag.source = sensor.source;
        const std::string tag_text = nmea0183::format_tag_block(tag);
        stream.write(tag_text);
        stream.write(sentence);
        if (wire) wire->send(t, sensor.source, tag_text, sentence);
        ++summary.sentences;
        ++summary.sentences_by_source[sensor.source];
      },
      [&](const ShipState& s) {
        put_truth(state_record(s));
        approaches.clear();
        for (const Target& target : scenario.traffic) {
          approaches.push_back(approach(s.position, s.cog_deg, s.sog_kn, target, s.t_s));
        }
        conclusions.observe(s, approaches);
        put_targets(scenario, s, approaches, put_truth);
        if (options.progress && s.t_s >= next_progress) {
          options.progress(s.t_s / duration);
          next_progress += 60.0;
        }
      });
  conclusions.put(duration, put_truth);

  const std::uint64_t stream_bytes = stream.size();
  const std::uint64_t truth_bytes = truth.size();
  summary.sha256["stream.nmea"] = stream.commit();
  summary.sha256["truth.jsonl"] = truth.commit();
  std::uint64_t pcap_bytes = 0;
  if (wire) std::tie(pcap_bytes, summary.sha256["stream.pcap"]) = wire->commit();

  nlohmann::json manifest = {
      {"schema", "twincert.manifest/1"},
      {"tool", options.tool},
      {"scenario",
       {{"name", scenario.name},
        {"origin", scenario.origin},
        {"sha256", sha256_hex(scenario.source_text)}}},
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
  if (wire) {
    manifest["files"]["stream.pcap"] = {{"bytes", pcap_bytes},
                                        {"sha256", summary.sha256["stream.pcap"]}};
  }
  HashedFile manifest_file(options.out_dir, "manifest.json");
  manifest_file.write(manifest.dump(2));
  manifest_file.write("\n");
  manifest_file.commit();
  if (options.progress) options.progress(1.0);
  return summary;
}

}  // namespace twincert::generators
