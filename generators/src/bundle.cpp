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

#include "twincert/base/sha256.hpp"
#include "twincert/generators/alerts.hpp"
#include "twincert/generators/simulation.hpp"
#include "twincert/generators/truth_records.hpp"
#include "twincert/protocols/iec61162_450/datagram.hpp"
#include "twincert/protocols/iec61162_450/transmission_groups.hpp"
#include "twincert/protocols/nmea0183/tag_block.hpp"

#include "pcap_writer.hpp"

namespace twincert::generators {

namespace {

// A file written under NAME.partial, hashed as it is written, renamed to NAME on commit().
// Small writes are gathered into blocks: both the hash and the stream are much faster per block
// than per sentence.
class HashedFile {
 public:
  HashedFile(const std::filesystem::path& dir, const std::string& name)
      : final_(dir / name), partial_(dir / (name + ".partial")) {
    out_.open(partial_, std::ios::binary | std::ios::trunc);
    if (!out_) throw std::runtime_error("cannot write " + partial_.string());
    block_.reserve(kBlockBytes + 1024);
  }
  void write(std::string_view bytes) {
    block_ += bytes;
    size_ += bytes.size();
    if (block_.size() >= kBlockBytes) flush();
  }
  // Closes, renames into place and returns the hex digest.
  std::string commit() {
    flush();
    out_.close();
    if (!out_) throw std::runtime_error("write failed: " + partial_.string());
    std::filesystem::rename(partial_, final_);
    return hash_.hex_digest();
  }
  std::uint64_t size() const noexcept { return size_; }

 private:
  static constexpr std::size_t kBlockBytes = std::size_t{64} * 1024;
  void flush() {
    hash_.update(block_);
    out_.write(block_.data(), static_cast<std::streamsize>(block_.size()));
    block_.clear();
  }

  std::filesystem::path final_;
  std::filesystem::path partial_;
  std::ofstream out_;
  Sha256 hash_;
  std::string block_;
  std::uint64_t size_ = 0;
};

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
      hosts_.emplace_back(static_cast<std::uint8_t>(1 + i % 254),
                          &iec61162_450::endpoint_of(group));
    }
  }
  // `sensor`: the sender's index in the scenario's sensors; `line`: tag block and sentence.
  void send(double t, std::size_t sensor, std::string_view line) {
    datagram_.assign(iec61162_450::kSentenceToken);
    datagram_ += line;
    const auto& [host, group] = hosts_.at(sensor);
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
  std::vector<std::pair<std::uint8_t, const iec61162_450::GroupEndpoint*>> hosts_;  // per sensor
  std::string datagram_;
};

}  // namespace

BundleSummary write_bundle(const Scenario& scenario, const BundleOptions& options) {
  std::filesystem::create_directories(options.out_dir);
  const double duration = options.duration_s > 0 ? options.duration_s : scenario.duration_s;

  BundleSummary summary;
  HashedFile stream(options.out_dir, "stream.nmea");
  HashedFile truth(options.out_dir, "truth.jsonl");
  // One line of truth.jsonl at a time: the frequent records are written into `truth_line`
  // directly (truth_records.hpp), the others dumped from a JSON document by put_truth.
  std::string truth_line;
  const auto put_truth_line = [&] {
    truth_line += '\n';
    truth.write(truth_line);
    truth_line.clear();
    ++summary.truth_records;
  };
  const PutTruth put_truth = [&](const nlohmann::json& record) {
    truth_line += record.dump();
    put_truth_line();
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
  // Per sensor, by its index: the tag block's line count and the sentences sent.
  std::vector<std::int64_t> line_counts(scenario.sensors.size(), 0);
  std::vector<std::uint64_t> sentences_by_sensor(scenario.sensors.size(), 0);
  nmea0183::TagBlockStamper stamper;
  std::string line;
  double next_progress = 60.0;
  std::vector<Approach> approaches;
  simulation.run(
      duration,
      [&](double t, std::size_t index, const SensorSpec& sensor, std::string_view sentence) {
        std::int64_t& n = line_counts[index];
        n = iec61162_450::next_line_count(n);
        line.clear();
        stamper.append(scenario.start_unix_s + static_cast<std::int64_t>(std::floor(t)), n,
                       std::llround(t * 1000.0), sensor.source, line);
        line += sentence;
        stream.write(line);
        if (wire) wire->send(t, index, line);
        ++sentences_by_sensor[index];
      },
      [&](const ShipState& s) {
        append_state_record(s, truth_line);
        put_truth_line();
        approach_all(s.position, s.cog_deg, s.sog_kn, scenario.traffic, s.t_s, approaches);
        conclusions.observe(s, approaches);
        // Where each target is and how close it will come, every 10 s.
        if (static_cast<std::int64_t>(std::llround(s.t_s)) % 10 == 0) {
          for (std::size_t i = 0; i < scenario.traffic.size(); ++i) {
            const Target& target = scenario.traffic[i];
            append_target_record(s.t_s, target, target.position_at(s.t_s), approaches[i],
                                 truth_line);
            put_truth_line();
          }
        }
        if (options.progress && s.t_s >= next_progress) {
          options.progress(s.t_s / duration);
          next_progress += 60.0;
        }
      });
  conclusions.put(duration, put_truth);
  for (std::size_t i = 0; i < scenario.sensors.size(); ++i) {
    summary.sentences += sentences_by_sensor[i];
    if (sentences_by_sensor[i] > 0) {
      summary.sentences_by_source[scenario.sensors[i].source] += sentences_by_sensor[i];
    }
  }

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
