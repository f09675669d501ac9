#include "twincert/generators/truth_records.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

namespace twincert::generators {

namespace {

double round_to(double v, double unit) {
  return std::round(v / unit) * unit;
}

// One JSON object on one line, keys given in sorted order (as nlohmann's std::map keeps them).
class ObjectWriter {
 public:
  explicit ObjectWriter(std::string& out) : out_(out) { out_ += '{'; }
  ObjectWriter(const ObjectWriter&) = delete;
  ObjectWriter& operator=(const ObjectWriter&) = delete;
  ~ObjectWriter() { out_ += '}'; }

  void number(std::string_view key, double v) {
    start(key);
    if (!std::isfinite(v)) {
      out_ += "null";
      return;
    }
    // nlohmann's own formatting (Grisu2, "1.0" for whole numbers), as its dump() calls it.
    std::array<char, 64> buffer{};
    const char* end = nlohmann::detail::to_chars(buffer.data(), buffer.data() + buffer.size(), v);
    out_.append(buffer.data(), static_cast<std::size_t>(end - buffer.data()));
  }
  void integer(std::string_view key, std::uint64_t v) {
    start(key);
    std::array<char, 24> buffer{};
    const char* end = std::to_chars(buffer.data(), buffer.data() + buffer.size(), v).ptr;
    out_.append(buffer.data(), static_cast<std::size_t>(end - buffer.data()));
  }
  void text(std::string_view key, std::string_view v) {
    start(key);
    const bool plain = std::all_of(
        v.begin(), v.end(), [](char c) { return c >= 0x20 && c < 0x7F && c != '"' && c != '\\'; });
    if (plain) {
      out_ += '"';
      out_ += v;
      out_ += '"';
    } else {
      out_ += nlohmann::json(std::string(v)).dump();  // escapes as dump() does
    }
  }

 private:
  void start(std::string_view key) {
    if (out_.back() != '{') out_ += ',';
    out_ += '"';
    out_ += key;
    out_ += "\":";
  }
  std::string& out_;
};

}  // namespace

void append_state_record(const ShipState& s, std::string& out) {
  ObjectWriter w(out);
  w.number("cog_deg", round_to(s.cog_deg, 1e-4));
  w.number("depth_m", round_to(s.depth_m, 1e-3));
  w.number("distance_nm", round_to(s.distance_nm, 1e-6));
  w.number("heading_deg", round_to(s.heading_deg, 1e-4));
  w.text("kind", "state");
  w.number("lat", round_to(s.position.lat_deg, 1e-8));
  w.number("lon", round_to(s.position.lon_deg, 1e-8));
  w.number("pitch_deg", round_to(s.pitch_deg, 1e-4));
  w.number("roll_deg", round_to(s.roll_deg, 1e-4));
  w.number("rot_deg_min", round_to(s.rot_deg_s * 60.0, 1e-4));
  w.number("rpm", round_to(s.rpm, 1e-3));
  w.number("rudder_deg", round_to(s.rudder_deg, 1e-4));
  w.number("sog_kn", round_to(s.sog_kn, 1e-4));
  w.number("stw_kn", round_to(s.stw_kn, 1e-4));
  w.number("t", s.t_s);
  w.number("wind_from_deg", round_to(s.wind.from_deg, 1e-3));
  w.number("wind_speed_kn", round_to(s.wind.speed_kn, 1e-3));
}

void append_target_record(double t_s, const Target& target, GeoPoint position,
                          const Approach& approach, std::string& out) {
  ObjectWriter w(out);
  w.number("bearing_deg", round_to(approach.bearing_deg, 1e-3));
  w.text("class", target.class_b ? "B" : "A");
  w.number("cog_deg", target.course_deg);
  w.number("cpa_nm", round_to(approach.cpa_nm, 1e-4));
  w.text("kind", "target");
  w.number("lat", round_to(position.lat_deg, 1e-8));
  w.number("lon", round_to(position.lon_deg, 1e-8));
  w.integer("mmsi", target.mmsi);
  w.text("name", target.name);
  w.number("range_nm", round_to(approach.range_nm, 1e-4));
  w.number("sog_kn", target.speed_kn);
  w.number("t", t_s);
  w.number("tcpa_min", round_to(approach.tcpa_min, 1e-3));
}

}  // namespace twincert::generators
