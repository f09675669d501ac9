#include "twincert/generators/sensors.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <type_traits>
#include <utility>

#include "twincert/base/config_error.hpp"
#include "twincert/protocols/ais/messages.hpp"
#include "twincert/protocols/nmea0183/fields.hpp"
#include "twincert/protocols/nmea0183/sentences/dbt.hpp"
#include "twincert/protocols/nmea0183/sentences/dpt.hpp"
#include "twincert/protocols/nmea0183/sentences/etl.hpp"
#include "twincert/protocols/nmea0183/sentences/gga.hpp"
#include "twincert/protocols/nmea0183/sentences/gll.hpp"
#include "twincert/protocols/nmea0183/sentences/gns.hpp"
#include "twincert/protocols/nmea0183/sentences/gsa.hpp"
#include "twincert/protocols/nmea0183/sentences/gsv.hpp"
#include "twincert/protocols/nmea0183/sentences/hdt.hpp"
#include "twincert/protocols/nmea0183/sentences/hrm.hpp"
#include "twincert/protocols/nmea0183/sentences/mwd.hpp"
#include "twincert/protocols/nmea0183/sentences/mwv.hpp"
#include "twincert/protocols/nmea0183/sentences/prc.hpp"
#include "twincert/protocols/nmea0183/sentences/rmc.hpp"
#include "twincert/protocols/nmea0183/sentences/rot.hpp"
#include "twincert/protocols/nmea0183/sentences/rpm.hpp"
#include "twincert/protocols/nmea0183/sentences/rsa.hpp"
#include "twincert/protocols/nmea0183/sentences/ths.hpp"
#include "twincert/protocols/nmea0183/sentences/trc.hpp"
#include "twincert/protocols/nmea0183/sentences/vbw.hpp"
#include "twincert/protocols/nmea0183/sentences/vhw.hpp"
#include "twincert/protocols/nmea0183/sentences/vlw.hpp"
#include "twincert/protocols/nmea0183/sentences/vtg.hpp"
#include "twincert/protocols/nmea0183/sentences/xdr.hpp"
#include "twincert/protocols/nmea0183/sentences/zda.hpp"

#include "sensor_kit.hpp"

namespace twincert::generators {

namespace nmea = twincert::nmea0183;
namespace ais = twincert::ais;

namespace {

constexpr double kFathomsPerMetre = 0.546806649;

using detail::dec;
using detail::sensor_utc;

class Gnss final : public Sensor {
 public:
  Gnss(SensorSpec spec, const CounterRng& rng) : Sensor(std::move(spec), rng) {
    set_wander(
        WanderingError(rng, "wander:" + this->spec().source + ":gnss",
                       param("position_sigma_m", 2.0), param("position_error_tau_s", 120.0),
                       static_cast<double>(detail::period_ticks(this->spec())) * kTickSeconds));
  }
  void sample(const ShipState& s, std::int64_t epoch, SentenceBatch& out) override {
    // The fix's error: a wander over minutes (north, east) plus a small jitter per fix. Drawn in
    // sequence: two draws as arguments of one call would be taken in an order the compiler
    // chooses (g++ and clang++ differ), and the stream would depend on the compiler.
    wander().step();
    const double jitter = param("position_jitter_m", 0.3);
    const double east_error_m = wander().second() + noise().normal(jitter);
    const double north_error_m = wander().first() + noise().normal(jitter);
    const GeoPoint fix = advance(s.position, north_error_m, east_error_m);
    const double sog = std::max(0.0, s.sog_kn + noise().normal(param("sog_sigma_kn", 0.05)));
    const double cog = wrap_360(s.cog_deg + noise().normal(param("cog_sigma_deg", 0.3)));
    const detail::UtcParts utc = sensor_utc(epoch, s);
    const auto lat = nmea::GeoAngle::latitude(fix.lat_deg, 4);
    const auto lon = nmea::GeoAngle::longitude(fix.lon_deg, 4);
    const std::string& talker = spec().talker;
    if (sends("GGA")) {
      nmea::Gga g;
      g.time = utc.time;
      g.latitude = lat;
      g.longitude = lon;
      g.quality = status() == 'A' ? 1 : 0;
      g.satellites_in_use = status() == 'A' ? kSatellitesInUse : 0;
      g.hdop = dec(0.9, 1);
      g.altitude_msl_m = dec(param("antenna_height_m", 25.0), 1);
      g.geoid_separation_m = dec(param("geoid_separation_m", 45.0), 1);
      out.add(g, talker);
    }
    if (sends("RMC")) {
      nmea::Rmc r;
      r.time = utc.time;
      r.status = status();
      r.latitude = lat;
      r.longitude = lon;
      r.sog_kn = dec(sog, 1);
      r.cog_true_deg = dec(cog, 1);
      r.date = nmea::DayMonthYear{static_cast<std::uint8_t>(utc.day),
                                  static_cast<std::uint8_t>(utc.month),
                                  static_cast<std::uint8_t>(utc.year % 100)};
      r.mode = mode();
      r.navigational_status = status() == 'A' ? 'S' : 'V';
      out.add(r, talker);
    }
    if (sends("VTG")) {
      nmea::Vtg v;
      v.cog_true_deg = dec(cog, 1);
      v.sog_kn = dec(sog, 1);
      v.sog_kmh = dec(sog * kKmhPerKnot, 1);
      v.mode = mode();
      out.add(v, talker);
    }
    if (sends("GLL")) {
      nmea::Gll l;
      l.latitude = lat;
      l.longitude = lon;
      l.time = utc.time;
      l.status = status();
      l.mode = mode();
      out.add(l, talker);
    }
    if (sends("ZDA")) {
      nmea::Zda z;
      z.time = utc.time;
      z.day = utc.day;
      z.month = utc.month;
      z.year = utc.year;
      z.zone_hours = 0;
      z.zone_minutes = 0;
      out.add(z, talker);
    }
    if (sends("GNS")) {
      nmea::Gns g;
      g.time = utc.time;
      g.latitude = lat;
      g.longitude = lon;
      g.mode = status() == 'A' ? "AA" : "NN";  // GPS and GLONASS
      g.satellites_in_use = status() == 'A' ? kSatellitesInUse : 0;
      g.hdop = dec(0.9, 1);
      g.altitude_msl_m = dec(param("antenna_height_m", 25.0), 1);
      g.geoid_separation_m = dec(param("geoid_separation_m", 45.0), 1);
      g.navigational_status = status() == 'A' ? 'S' : 'V';
      out.add(g, talker);
    }
    // Satellite status changes slowly: every 5 s, as receivers typically send it.
    if ((sends("GSA") || sends("GSV")) &&
        detail::due(detail::tick_of(s.t_s), detail::period_ticks(spec()), 50)) {
      satellites(s.t_s, out);
    }
  }

 private:
  static constexpr int kSatellitesInView = 11;
  static constexpr int kSatellitesInUse = 9;

  // A constellation that moves: each satellite's azimuth and elevation follow its own slow
  // orbit-like arc; signal strength rises with elevation.
  void satellites(double t_s, SentenceBatch& out) {
    struct Sat {
      int id;
      int elevation;
      int azimuth;
      int snr;
    };
    std::vector<Sat> sky;
    for (int i = 0; i < kSatellitesInView; ++i) {
      const double phase = 0.57 * i + t_s * 2.0e-4 * (1 + i % 3);
      const int elevation = static_cast<int>(5 + 80 * std::abs(std::sin(phase)));
      const int azimuth = static_cast<int>(std::fmod(33.0 * i + t_s * 4.0e-3 + 360.0, 360.0));
      const int snr = std::clamp(
          static_cast<int>(std::lround(28 + elevation / 4.0 + noise().normal(1.5))), 0, 99);
      sky.push_back(Sat{kSatelliteIds[static_cast<std::size_t>(i)], elevation, azimuth, snr});
    }
    const std::string& talker = spec().talker;
    if (sends("GSA")) {
      nmea::Gsa a;
      a.selection_mode = 'A';
      a.fix_type = status() == 'A' ? 3 : 1;
      for (std::size_t i = 0; i < kSatellitesInUse && status() == 'A'; ++i) {
        a.satellites[i] = sky[i].id;
      }
      a.pdop = dec(1.6, 1);
      a.hdop = dec(0.9, 1);
      a.vdop = dec(1.3, 1);
      a.system_id = 1;
      out.add(a, talker);
    }
    if (sends("GSV")) {
      constexpr std::size_t kPerSentence = 4;
      const std::size_t total = (sky.size() + kPerSentence - 1) / kPerSentence;
      for (std::size_t n = 0; n < total; ++n) {
        nmea::Gsv v;
        v.total_sentences = static_cast<std::int32_t>(total);
        v.sentence_number = static_cast<std::int32_t>(n + 1);
        v.satellites_in_view = static_cast<std::int32_t>(sky.size());
        for (std::size_t i = n * kPerSentence; i < std::min(sky.size(), (n + 1) * kPerSentence);
             ++i) {
          v.satellites.push_back(
              nmea::Gsv::Satellite{sky[i].id, sky[i].elevation, sky[i].azimuth, sky[i].snr});
        }
        out.add(v, talker);
      }
    }
  }
  static constexpr std::array<int, kSatellitesInView> kSatelliteIds = {2,  5,  7,  9,  13, 15,
                                                                       18, 21, 26, 29, 30};
};

class Gyro final : public Sensor {
 public:
  Gyro(SensorSpec spec, const CounterRng& rng) : Sensor(std::move(spec), rng) {}
  void sample(const ShipState& s, std::int64_t /*epoch_s*/, SentenceBatch& out) override {
    const double heading =
        wrap_360(s.heading_deg + noise().normal(param("heading_sigma_deg", 0.05)));
    if (sends("HDT")) {
      nmea::Hdt h;
      h.heading_true_deg = dec(heading, 1);
      out.add(h, spec().talker);
    }
    if (sends("THS")) {
      nmea::Ths t;
      t.heading_true_deg = dec(heading, 2);
      t.mode = status() == 'A' ? 'A' : 'V';
      out.add(t, spec().talker);
    }
  }
};

class RateOfTurn final : public Sensor {
 public:
  RateOfTurn(SensorSpec spec, const CounterRng& rng) : Sensor(std::move(spec), rng) {}
  void sample(const ShipState& s, std::int64_t /*epoch_s*/, SentenceBatch& out) override {
    nmea::Rot r;
    r.rate_deg_per_min =
        dec(s.rot_deg_s * 60.0 + noise().normal(param("rot_sigma_deg_min", 0.2)), 1);
    r.status = status();
    out.add(r, spec().talker);
  }
};

class SpeedLog final : public Sensor {
 public:
  SpeedLog(SensorSpec spec, const CounterRng& rng) : Sensor(std::move(spec), rng) {}
  void sample(const ShipState& s, std::int64_t /*epoch_s*/, SentenceBatch& out) override {
    const double stw = s.stw_kn + noise().normal(param("stw_sigma_kn", 0.05));
    const double rel = (s.cog_deg - s.heading_deg) * 3.14159265358979 / 180.0;
    if (sends("VBW")) {
      nmea::Vbw v;
      v.water_longitudinal_kn = dec(stw, 2);
      v.water_transverse_kn = dec(noise().normal(0.02), 2);
      v.water_status = status();
      v.ground_longitudinal_kn = dec(s.sog_kn * std::cos(rel), 2);
      v.ground_transverse_kn = dec(s.sog_kn * std::sin(rel), 2);
      v.ground_status = status();
      out.add(v, spec().talker);
    }
    if (sends("VHW")) {
      nmea::Vhw v;
      v.heading_true_deg = dec(s.heading_deg, 1);
      v.stw_kn = dec(stw, 1);
      v.stw_kmh = dec(stw * kKmhPerKnot, 1);
      out.add(v, spec().talker);
    }
    // The distance log every 10 s: a running total from the log's odometer reading at the
    // start, and the trip since then.
    if (sends("VLW") && detail::due(detail::tick_of(s.t_s), detail::period_ticks(spec()), 100)) {
      const double odometer = param("odometer_nm", 48211.0);
      nmea::Vlw v;
      v.total_water_nm = dec(odometer + s.water_distance_nm, 1);
      v.water_since_reset_nm = dec(s.water_distance_nm, 2);
      v.total_ground_nm = dec(odometer + s.distance_nm, 1);
      v.ground_since_reset_nm = dec(s.distance_nm, 2);
      out.add(v, spec().talker);
    }
  }
};

class EchoSounder final : public Sensor {
 public:
  EchoSounder(SensorSpec spec, const CounterRng& rng) : Sensor(std::move(spec), rng) {}
  void sample(const ShipState& s, std::int64_t /*epoch_s*/, SentenceBatch& out) override {
    // The transducer sits above the keel: depth below it is the depth under keel plus that.
    const double above_keel = param("transducer_above_keel_m", 0.5);
    const double below_transducer =
        std::max(0.0, s.depth_m + above_keel + noise().normal(param("depth_sigma_m", 0.1)));
    if (sends("DPT")) {
      nmea::Dpt d;
      d.depth_m = dec(below_transducer, 1);
      d.offset_m = dec(-above_keel, 1);
      d.max_range_m = dec(param("range_m", 200.0), 0);
      out.add(d, spec().talker);
    }
    if (sends("DBT")) {
      nmea::Dbt d;
      d.depth_ft = dec(below_transducer * kFeetPerMetre, 1);
      d.depth_m = dec(below_transducer, 1);
      d.depth_fathoms = dec(below_transducer * kFathomsPerMetre, 1);
      out.add(d, spec().talker);
    }
  }
};

class Anemometer final : public Sensor {
 public:
  Anemometer(SensorSpec spec, const CounterRng& rng) : Sensor(std::move(spec), rng) {}
  void sample(const ShipState& s, std::int64_t /*epoch_s*/, SentenceBatch& out) override {
    const Wind rel = apparent_wind(s);
    const double speed_noise = noise().normal(param("speed_sigma_kn", 0.3));
    const double angle_noise = noise().normal(param("angle_sigma_deg", 2.0));
    if (sends("MWV")) {
      nmea::Mwv m;
      m.angle_deg = dec(wrap_360(rel.from_deg + angle_noise), 1);
      m.reference = 'R';
      m.speed = dec(std::max(0.0, rel.speed_kn + speed_noise), 1);
      m.speed_unit = 'N';
      m.status = status();
      out.add(m, spec().talker);
      m.angle_deg = dec(wrap_360(s.wind.from_deg - s.heading_deg + angle_noise), 1);
      m.reference = 'T';
      m.speed = dec(std::max(0.0, s.wind.speed_kn + speed_noise), 1);
      out.add(m, spec().talker);
    }
    if (sends("MWD")) {
      nmea::Mwd m;
      const double speed = std::max(0.0, s.wind.speed_kn + speed_noise);
      m.direction_true_deg = dec(wrap_360(s.wind.from_deg + angle_noise), 1);
      m.speed_kn = dec(speed, 1);
      m.speed_ms = dec(speed * kMetresPerSecondPerKnot, 1);
      out.add(m, spec().talker);
    }
  }
};

class Rudder final : public Sensor {
 public:
  Rudder(SensorSpec spec, const CounterRng& rng) : Sensor(std::move(spec), rng) {}
  void sample(const ShipState& s, std::int64_t /*epoch_s*/, SentenceBatch& out) override {
    nmea::Rsa r;
    r.starboard_deg = dec(s.rudder_deg + noise().normal(param("angle_sigma_deg", 0.1)), 1);
    r.starboard_status = status();
    out.add(r, spec().talker);
  }
};

// Engine room monitoring: RPM, the telegraph (ETL), the propulsion remote control demand
// (PRC), the bow thruster (TRC), and the main engine's alerts.
class Engine final : public Sensor {
 public:
  Engine(SensorSpec spec, const CounterRng& rng, const SensorContext& context)
      : Sensor(std::move(spec), rng),
        bam_(*this, "engine", context.alerts),
        service_rpm_(
            param("service_rpm", context.vessel != nullptr ? context.vessel->service_rpm : 90.0)) {}
  void sample(const ShipState& s, std::int64_t epoch, SentenceBatch& out) override {
    const std::string& talker = spec().talker;
    const double order = s.systems.rpm_order;
    if (sends("RPM")) {
      nmea::Rpm r;
      r.source = 'S';
      r.number = 0;
      r.speed_rpm = dec(s.rpm + noise().normal(param("rpm_sigma", 0.3)), 1);
      r.pitch_percent = dec(100.0, 0);
      r.status = status();
      out.add(r, talker);
    }
    if (sends("ETL")) {
      nmea::Etl e;
      e.time = sensor_utc(epoch, s).time;
      e.indicator = 'A';  // answer-back: the engine room has followed the order
      e.telegraph_position = telegraph_position(order / service_rpm_);
      e.sub_telegraph = 30;  // full away (at sea)
      e.location = 'B';
      e.engine_number = 0;
      out.add(e, talker);
    }
    if (sends("PRC")) {
      nmea::Prc p;
      p.lever_demand_percent = dec(std::clamp(order / service_rpm_ * 100.0, -100.0, 100.0), 1);
      p.lever_status = 'A';
      p.rpm_demand = dec(order, 1);
      p.rpm_mode = 'R';
      p.pitch_mode = 'V';
      p.location = 'B';
      p.engine_number = 0;
      out.add(p, talker);
    }
    if (sends("TRC")) {
      nmea::Trc t;
      t.number = 1;
      t.rpm_demand = dec(s.systems.thruster_percent, 1);
      t.rpm_mode = 'P';  // percent
      t.pitch_mode = 'V';
      t.location = 'B';
      t.sentence_status = 'R';
      out.add(t, talker);
    }
    bam_.report(s, epoch, out);
  }

 private:
  // Engine telegraph positions (ETL field 3): 0 stop, 1..5 dead slow .. navigation full ahead,
  // 11..15 dead slow .. crash astern, from the ordered fraction of service RPM.
  static std::int32_t telegraph_position(double fraction) {
    const double a = std::abs(fraction);
    std::int32_t step = 0;
    if (a >= 0.05) step = 1;
    if (a >= 0.3) step = 2;
    if (a >= 0.55) step = 3;
    if (a >= 0.8) step = 4;
    if (a >= 1.0) step = 5;
    if (step == 0) return 0;
    return fraction < 0 ? 10 + std::min(step, 5) : step;
  }

  detail::BamReporter bam_;
  double service_rpm_;
};

class Inclinometer final : public Sensor {
 public:
  Inclinometer(SensorSpec spec, const CounterRng& rng) : Sensor(std::move(spec), rng) {}
  void sample(const ShipState& s, std::int64_t /*epoch_s*/, SentenceBatch& out) override {
    nmea::Hrm h;
    h.heel_deg = dec(s.roll_deg + noise().normal(param("angle_sigma_deg", 0.1)), 1);
    h.roll_period_s = dec(param("roll_period_s", 14.0), 1);
    const double amplitude = std::abs(s.roll_deg);
    h.roll_amplitude_port_deg = dec(amplitude, 1);
    h.roll_amplitude_starboard_deg = dec(amplitude, 1);
    h.status = status();
    if (sends("HRM")) out.add(h, spec().talker);
    if (sends("XDR")) {
      // Hull monitoring: angles, accelerations (m/s^2, with gravity on the vertical axis and
      // the heave of pitching) and the midship bending stress (MPa) that grows with pitching.
      const double heave = 0.2 * s.pitch_deg;
      const double stress = param("stress_still_water_mpa", 40.0) + 6.0 * std::abs(s.pitch_deg);
      nmea::Xdr x;
      const auto add = [&](char type, double value, int decimals, std::optional<char> unit,
                           const char* name) {
        x.measurements.push_back(nmea::Xdr::Measurement{type, dec(value, decimals), unit, name});
      };
      // Two sentences, so each stays within 82 characters.
      add('A', s.pitch_deg + noise().normal(0.05), 1, 'D', "PITCH");
      add('A', s.roll_deg + noise().normal(0.05), 1, 'D', "ROLL");
      add('G', stress + noise().normal(0.5), 1, std::nullopt, "STRESS");
      out.add(x, spec().talker);
      x.measurements.clear();
      add('G', s.surge_accel_ms2 + noise().normal(0.01), 2, std::nullopt, "ACCX");
      add('G', s.sway_accel_ms2 + noise().normal(0.01), 2, std::nullopt, "ACCY");
      add('G', 9.81 + heave + noise().normal(0.01), 2, std::nullopt, "ACCZ");
      out.add(x, spec().talker);
    }
  }
};

// An AIS transponder's presentation interface: VDM for every target it hears, VDO for the own
// ship. Reporting intervals follow ITU-R M.1371 in simplified form: class A every 10 s below
// 14 kn, 6 s to 23 kn, 2 s above; class B every 30 s; static data (type 5, or 24 A and B) every
// 6 minutes. Each target gets its own phase so reports spread over time.
class AisTransponder final : public Sensor {
 public:
  AisTransponder(SensorSpec spec, const CounterRng& rng, const SensorContext& context)
      : Sensor(std::move(spec), rng), traffic_(context.traffic) {}

  void sample(const ShipState& s, std::int64_t /*epoch_s*/, SentenceBatch& out) override {
    const auto second = static_cast<std::int64_t>(std::llround(s.t_s));
    if (traffic_ != nullptr && sends("VDM")) {
      for (std::size_t i = 0; i < traffic_->size(); ++i) report((*traffic_)[i], i, second, out);
    }
    if (sends("VDO") && second % interval_s(false, s.sog_kn) == 0) {
      ais::PositionReportClassA own;
      own.mmsi = static_cast<std::uint32_t>(param("own_mmsi", 211999000));
      own.navigation_status = 0;
      own.rate_of_turn = rot_ais(s.rot_deg_s * 60.0);
      fill_position(own, s.position, s.sog_kn, s.cog_deg, s.heading_deg, second);
      emit("VDO", ais::Message{own}, second, out);
    }
  }

 private:
  static std::int64_t interval_s(bool class_b, double speed_kn) {
    if (class_b) return 30;
    if (speed_kn > 23.0) return 2;
    return speed_kn > 14.0 ? 6 : 10;
  }
  // ROT_AIS = 4.733 * sqrt(|ROT| deg/min), signed, limited to +-126.
  static std::int32_t rot_ais(double deg_per_min) {
    const double v = 4.733 * std::sqrt(std::abs(deg_per_min));
    return static_cast<std::int32_t>(std::copysign(std::min(126.0, std::round(v)), deg_per_min));
  }
  template <class M>
  static void fill_position(M& m, GeoPoint p, double sog, double cog, double heading,
                            std::int64_t second) {
    m.sog = static_cast<std::uint32_t>(std::llround(std::min(sog, 102.2) * 10.0));
    m.position_accuracy = true;
    m.longitude = ais::to_position_raw(p.lon_deg);
    m.latitude = ais::to_position_raw(p.lat_deg);
    m.cog = static_cast<std::uint32_t>(std::llround(wrap_360(cog) * 10.0)) % 3600;
    m.true_heading = static_cast<std::uint32_t>(std::llround(wrap_360(heading))) % 360;
    m.timestamp = static_cast<std::uint32_t>(second % 60);
  }

  void report(const Target& t, std::size_t index, std::int64_t second, SentenceBatch& out) {
    const auto phase = static_cast<std::int64_t>(index * 7 % 30);
    if ((second + phase) % interval_s(t.class_b, t.speed_kn) == 0) {
      // Only where a report is due: most seconds of most targets have none.
      const GeoPoint p = t.position_at(static_cast<double>(second));
      if (t.class_b) {
        ais::ClassBPositionReport m;
        m.mmsi = t.mmsi;
        fill_position(m, p, t.speed_kn, t.course_deg, t.course_deg, second);
        emit("VDM", ais::Message{m}, second, out);
      } else {
        ais::PositionReportClassA m;
        m.mmsi = t.mmsi;
        // Most class A reports are scheduled (type 1); some stations are in assigned mode under
        // a base station (type 2), and every sixth report answers an interrogation (type 3).
        const std::int64_t report = (second + phase) / interval_s(false, t.speed_kn);
        m.message_type = index % 5 == 2 ? 2U : (report % 6 == 5 ? 3U : 1U);
        m.navigation_status = 0;
        m.rate_of_turn = 0;
        fill_position(m, p, t.speed_kn, t.course_deg, t.course_deg, second);
        emit("VDM", ais::Message{m}, second, out);
      }
    }
    if ((second + phase * 11) % 360 != 0) return;
    const auto bow = static_cast<std::uint32_t>(std::llround(t.length_m * 0.8));
    const auto stern = static_cast<std::uint32_t>(std::llround(t.length_m)) - bow;
    const auto side = static_cast<std::uint32_t>(std::llround(t.beam_m / 2.0));
    if (t.class_b) {
      ais::StaticDataReportA a;
      a.mmsi = t.mmsi;
      a.name = t.name;
      emit("VDM", ais::Message{a}, second, out);
      ais::StaticDataReportB b;
      b.mmsi = t.mmsi;
      b.ship_type = t.ship_type;
      b.vendor_id = "TWC";
      b.call_sign = t.call_sign;
      b.to_bow = bow;
      b.to_stern = stern;
      b.to_port = side;
      b.to_starboard = side;
      emit("VDM", ais::Message{b}, second, out);
    } else {
      ais::StaticAndVoyageData m;
      m.mmsi = t.mmsi;
      m.imo = 9000000U + t.mmsi % 999999U;
      m.call_sign = t.call_sign;
      m.name = t.name;
      m.ship_type = t.ship_type;
      m.to_bow = bow;
      m.to_stern = stern;
      m.to_port = side;
      m.to_starboard = side;
      m.epfd = 1;
      m.draught = static_cast<std::uint32_t>(std::llround(t.length_m / 20.0 * 10.0));
      m.destination = "HAMBURG";
      m.dte = false;
      emit("VDM", ais::Message{m}, second, out);
    }
  }

  // Armours the message and splits it into sentences of at most 60 payload characters. Channel
  // and sequential ID are functions of the time and MMSI, not running counters, so a report
  // skipped in a fault's span changes nothing after it.
  void emit(const char* formatter, const ais::Message& message, std::int64_t second,
            SentenceBatch& out) {
    const auto [payload, fill] = ais::armor(ais::encode_message(message));
    constexpr std::size_t kPerSentence = 60;
    const std::size_t total = (payload.size() + kPerSentence - 1) / kPerSentence;
    const std::uint64_t key = static_cast<std::uint64_t>(second) + ais::mmsi_of(message);
    const char sequence = static_cast<char>('0' + key % 10);
    const char channel = key % 2 == 0 ? 'A' : 'B';
    for (std::size_t i = 0; i < total; ++i) {
      nmea::SentenceWriter w(out.next(), spec().talker, formatter, '!');
      w.open_field() += static_cast<char>('0' + total);
      w.open_field() += static_cast<char>('0' + i + 1);
      std::string& sequence_field = w.open_field();
      if (total > 1) sequence_field += sequence;
      w.open_field() += channel;
      w.field(std::string_view(payload).substr(i * kPerSentence, kPerSentence));
      w.open_field() += static_cast<char>('0' + (i + 1 == total ? fill : 0));
      w.close();
    }
  }

  const std::vector<Target>* traffic_;
};

using Factory =
    std::function<std::unique_ptr<Sensor>(SensorSpec, const CounterRng&, const SensorContext&)>;

struct Kind {
  const char* name;
  std::vector<std::string> sentences;  // all it can send; the default is all
  Factory make;
  std::vector<SensorParameter> params;  // what it reads with param(), and the values it accepts
};

// Standard deviations are never negative; an alert source's heartbeat is between 1 s and 1 h.
SensorParameter sigma(const char* name, double max) {
  return {name, 0.0, max};
}
const SensorParameter kHeartbeat{"heartbeat_s", 1.0, 3600.0};

template <class S>
Factory factory() {
  return [](SensorSpec spec, const CounterRng& rng, const SensorContext& context) {
    if constexpr (std::is_constructible_v<S, SensorSpec, const CounterRng&, const SensorContext&>) {
      return std::make_unique<S>(std::move(spec), rng, context);
    } else {
      (void)context;
      return std::make_unique<S>(std::move(spec), rng);
    }
  };
}

// One line per sensor kind.
const std::vector<Kind>& kinds() {
  static const std::vector<Kind> table = {
      {"gnss",
       {"GGA", "RMC", "VTG", "ZDA", "GLL", "GNS", "GSA", "GSV"},
       factory<Gnss>(),
       {sigma("position_sigma_m", 1000.0),
        {"position_error_tau_s", 0.001, 86400.0},
        sigma("position_jitter_m", 1000.0),
        sigma("sog_sigma_kn", 10.0),
        sigma("cog_sigma_deg", 180.0),
        {"antenna_height_m", -100.0, 1000.0},
        {"geoid_separation_m", -150.0, 150.0}}},
      {"gyro", {"HDT", "THS"}, factory<Gyro>(), {sigma("heading_sigma_deg", 180.0)}},
      {"rate_of_turn", {"ROT"}, factory<RateOfTurn>(), {sigma("rot_sigma_deg_min", 1000.0)}},
      {"speed_log",
       {"VBW", "VHW", "VLW"},
       factory<SpeedLog>(),
       {sigma("stw_sigma_kn", 10.0), {"odometer_nm", 0.0, 9e6}}},
      {"echo_sounder",
       {"DPT", "DBT"},
       factory<EchoSounder>(),
       {sigma("depth_sigma_m", 100.0),
        {"range_m", 1.0, 12000.0},
        {"transducer_above_keel_m", 0.0, 30.0}}},
      {"anemometer",
       {"MWV", "MWD"},
       factory<Anemometer>(),
       {sigma("speed_sigma_kn", 50.0), sigma("angle_sigma_deg", 180.0)}},
      {"rudder", {"RSA"}, factory<Rudder>(), {sigma("angle_sigma_deg", 90.0)}},
      {"engine",
       {"RPM", "ETL", "PRC", "TRC", "ALF", "ALC", "HBT"},
       factory<Engine>(),
       {sigma("rpm_sigma", 1000.0), {"service_rpm", 1.0, 10000.0}, kHeartbeat}},
      {"inclinometer",
       {"HRM", "XDR"},
       factory<Inclinometer>(),
       {sigma("angle_sigma_deg", 90.0),
        {"roll_period_s", 1.0, 100.0},
        {"stress_still_water_mpa", -1000.0, 1000.0}}},
      {"ais", {"VDM", "VDO"}, factory<AisTransponder>(), {{"own_mmsi", 1.0, 999999999.0}}},
      {"steering_gear", {"ALF", "ALC", "HBT", "ARC"}, detail::make_steering_gear, {kHeartbeat}},
      {"fire_detection",
       {"FIR", "ALF", "ALC", "HBT", "ARC"},
       detail::make_fire_detection,
       {kHeartbeat}},
      {"door_monitoring",
       {"DOR", "ALF", "ALC", "HBT", "ARC"},
       detail::make_door_monitoring,
       {kHeartbeat}},
      {"water_level", {"WAT", "ALF", "ALC", "HBT", "ARC"}, detail::make_water_level, {kHeartbeat}},
      {"alert_management", {"ACN", "HBT"}, detail::make_alert_management, {kHeartbeat}},
  };
  return table;
}

}  // namespace

namespace {
// A formatter ("GGA") as an integer; longer names (none yet) keep their first four characters,
// which is still exact for every formatter a sensor kind can send.
std::uint32_t formatter_code(std::string_view formatter) noexcept {
  std::uint32_t code = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    code = code << 8U | (i < formatter.size() ? static_cast<unsigned char>(formatter[i]) : 0U);
  }
  return code;
}
}  // namespace

Sensor::Sensor(SensorSpec spec, const CounterRng& rng)
    : spec_(std::move(spec)), noise_(rng, "sensor:" + spec_.source + ":" + spec_.kind) {
  for (const std::string& f : spec_.sentences) formatters_.push_back(formatter_code(f));
}

void Sensor::sample_stuck(const ShipState& truth, std::int64_t epoch_s, SentenceBatch& out,
                          std::optional<NoiseAnchor>& anchor) {
  if (!anchor) anchor = NoiseAnchor{noise_.position(), wander_};
  const std::uint64_t live = noise_.position();
  std::optional<WanderingError> live_wander = wander_;
  noise_.seek(anchor->position);
  wander_ = anchor->wander;
  sample(truth, epoch_s, out);
  noise_.seek(live + (noise_.position() - anchor->position));
  if (live_wander) {
    for (std::uint64_t n = anchor->wander->steps(); n < wander_->steps(); ++n) live_wander->step();
  }
  wander_ = live_wander;
}

bool Sensor::sends(std::string_view formatter) const noexcept {
  return std::find(formatters_.begin(), formatters_.end(), formatter_code(formatter)) !=
         formatters_.end();
}

double Sensor::param(std::string_view name, double fallback) const {
  const auto it = spec_.params.find(name);
  return it == spec_.params.end() ? fallback : it->second;
}

std::unique_ptr<Sensor> make_sensor(const SensorSpec& spec, const CounterRng& rng,
                                    const SensorContext& context) {
  for (const Kind& k : kinds()) {
    if (spec.kind != k.name) continue;
    SensorSpec s = spec;
    if (s.sentences.empty()) s.sentences = k.sentences;
    for (const auto& f : s.sentences) {
      if (std::find(k.sentences.begin(), k.sentences.end(), f) == k.sentences.end()) {
        throw ConfigError("sensor " + spec.source + ": kind " + spec.kind + " cannot send " + f);
      }
    }
    return k.make(std::move(s), rng, context);
  }
  throw ConfigError("sensor " + spec.source + ": unknown kind \"" + spec.kind +
                    "\" (known: " + names_of(kinds()) + ")");
}

bool measures_quantities(std::string_view kind) {
  return kind != "steering_gear" && kind != "fire_detection" && kind != "door_monitoring" &&
         kind != "water_level" && kind != "alert_management";
}

std::vector<std::pair<std::string, std::vector<std::string>>> sensor_kinds() {
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  for (const Kind& k : kinds()) out.emplace_back(k.name, k.sentences);
  return out;
}

std::vector<SensorParameter> sensor_parameters(std::string_view kind) {
  for (const Kind& k : kinds()) {
    if (kind == k.name) return k.params;
  }
  return {};
}

}  // namespace twincert::generators
