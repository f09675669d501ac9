// The bridge's navigation sensors besides the GNSS: gyro compass, rate-of-turn indicator,
// speed log, echo sounder and anemometer.
#include <cmath>
#include <cstdint>
#include <memory>
#include <utility>

#include "twincert/protocols/nmea0183/sentences/dbt.hpp"
#include "twincert/protocols/nmea0183/sentences/dpt.hpp"
#include "twincert/protocols/nmea0183/sentences/hdt.hpp"
#include "twincert/protocols/nmea0183/sentences/mwd.hpp"
#include "twincert/protocols/nmea0183/sentences/mwv.hpp"
#include "twincert/protocols/nmea0183/sentences/rot.hpp"
#include "twincert/protocols/nmea0183/sentences/ths.hpp"
#include "twincert/protocols/nmea0183/sentences/vbw.hpp"
#include "twincert/protocols/nmea0183/sentences/vhw.hpp"
#include "twincert/protocols/nmea0183/sentences/vlw.hpp"

#include "sensor_kit.hpp"

namespace twincert::generators::detail {

namespace nmea = twincert::nmea0183;

namespace {

constexpr double kFathomsPerMetre = 0.546806649;

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

}  // namespace

std::unique_ptr<Sensor> make_gyro(SensorSpec spec, const CounterRng& rng,
                                  const SensorContext& /*context*/) {
  return std::make_unique<Gyro>(std::move(spec), rng);
}
std::unique_ptr<Sensor> make_rate_of_turn(SensorSpec spec, const CounterRng& rng,
                                          const SensorContext& /*context*/) {
  return std::make_unique<RateOfTurn>(std::move(spec), rng);
}
std::unique_ptr<Sensor> make_speed_log(SensorSpec spec, const CounterRng& rng,
                                       const SensorContext& /*context*/) {
  return std::make_unique<SpeedLog>(std::move(spec), rng);
}
std::unique_ptr<Sensor> make_echo_sounder(SensorSpec spec, const CounterRng& rng,
                                          const SensorContext& /*context*/) {
  return std::make_unique<EchoSounder>(std::move(spec), rng);
}
std::unique_ptr<Sensor> make_anemometer(SensorSpec spec, const CounterRng& rng,
                                        const SensorContext& /*context*/) {
  return std::make_unique<Anemometer>(std::move(spec), rng);
}

}  // namespace twincert::generators::detail
