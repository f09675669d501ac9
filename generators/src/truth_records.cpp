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

// Powers of ten and their reciprocals, for up to eight decimals (latitude and longitude).
constexpr std::array<std::uint64_t, 9> kPowersOfTen = {1,      10,      100,      1000,     10000,
                                                       100000, 1000000, 10000000, 100000000};
constexpr std::array<double, 9> kUnits = {1.0, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8};

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
  // `v` rounded to `decimals` places and written as that decimal ("7.2417"), not as the shortest
  // form of the rounded double, which is often longer ("7.241700000000001"). Whole numbers keep
  // one decimal ("20.0"), as JSON libraries write doubles; non-finite values are null.
  void decimal(std::string_view key, double v, std::size_t decimals) {
    const double units = std::round(v / kUnits.at(decimals));
    if (!(std::abs(units) < 0x1p53)) {  // beyond exact integers, or not finite
      number(key, units * kUnits.at(decimals));
      return;
    }
    start(key);
    const auto count = static_cast<std::int64_t>(units);
    if (count < 0) out_ += '-';
    const std::uint64_t magnitude = count < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(count)
                                              : static_cast<std::uint64_t>(count);
    append_digits(magnitude / kPowersOfTen.at(decimals));
    out_ += '.';
    std::uint64_t fraction = magnitude % kPowersOfTen.at(decimals);
    std::size_t digits = decimals;
    while (digits > 1 && fraction % 10 == 0) {  // trailing zeros, one digit kept
      fraction /= 10;
      --digits;
    }
    std::array<char, 24> buffer{};
    for (std::size_t i = digits; i-- > 0;) {
      buffer.at(i) = static_cast<char>('0' + fraction % 10);
      fraction /= 10;
    }
    out_.append(buffer.data(), digits);
  }
  void integer(std::string_view key, std::uint64_t v) {
    start(key);
    append_digits(v);
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
  void append_digits(std::uint64_t v) {
    std::array<char, 24> buffer{};
    const char* end = std::to_chars(buffer.data(), buffer.data() + buffer.size(), v).ptr;
    out_.append(buffer.data(), static_cast<std::size_t>(end - buffer.data()));
  }
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
  w.decimal("cog_deg", s.cog_deg, 4);
  w.decimal("depth_m", s.depth_m, 3);
  w.decimal("distance_nm", s.distance_nm, 6);
  w.decimal("heading_deg", s.heading_deg, 4);
  w.text("kind", "state");
  w.decimal("lat", s.position.lat_deg, 8);
  w.decimal("lon", s.position.lon_deg, 8);
  w.decimal("pitch_deg", s.pitch_deg, 4);
  w.decimal("roll_deg", s.roll_deg, 4);
  w.decimal("rot_deg_min", s.rot_deg_s * 60.0, 4);
  w.decimal("rpm", s.rpm, 3);
  w.decimal("rudder_deg", s.rudder_deg, 4);
  w.decimal("sog_kn", s.sog_kn, 4);
  w.decimal("stw_kn", s.stw_kn, 4);
  w.number("t", s.t_s);
  w.decimal("wind_from_deg", s.wind.from_deg, 3);
  w.decimal("wind_speed_kn", s.wind.speed_kn, 3);
}

void append_target_record(double t_s, const Target& target, GeoPoint position,
                          const Approach& approach, std::string& out) {
  ObjectWriter w(out);
  w.decimal("bearing_deg", approach.bearing_deg, 3);
  w.text("class", target.class_b ? "B" : "A");
  w.number("cog_deg", target.course_deg);
  w.decimal("cpa_nm", approach.cpa_nm, 4);
  w.text("kind", "target");
  w.decimal("lat", position.lat_deg, 8);
  w.decimal("lon", position.lon_deg, 8);
  w.integer("mmsi", target.mmsi);
  w.text("name", target.name);
  w.decimal("range_nm", approach.range_nm, 4);
  w.number("sog_kn", target.speed_kn);
  w.number("t", t_s);
  w.decimal("tcpa_min", approach.tcpa_min, 3);
}

}  // namespace twincert::generators
