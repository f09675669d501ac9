// Sensors of the ship's machinery and hull: rudder angle, engine room monitoring (with the
// main engine's alerts) and the inclinometer with hull stress.
#include <cmath>
#include <cstdint>
#include <memory>
#include <utility>

#include "twincert/protocols/nmea0183/sentences/etl.hpp"
#include "twincert/protocols/nmea0183/sentences/hrm.hpp"
#include "twincert/protocols/nmea0183/sentences/prc.hpp"
#include "twincert/protocols/nmea0183/sentences/rpm.hpp"
#include "twincert/protocols/nmea0183/sentences/rsa.hpp"
#include "twincert/protocols/nmea0183/sentences/trc.hpp"
#include "twincert/protocols/nmea0183/sentences/xdr.hpp"

#include "sensor_kit.hpp"

namespace twincert::generators::detail {

namespace nmea = twincert::nmea0183;

namespace {

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

}  // namespace

std::unique_ptr<Sensor> make_rudder(SensorSpec spec, const CounterRng& rng,
                                    const SensorContext& /*context*/) {
  return std::make_unique<Rudder>(std::move(spec), rng);
}
std::unique_ptr<Sensor> make_engine(SensorSpec spec, const CounterRng& rng,
                                    const SensorContext& context) {
  return std::make_unique<Engine>(std::move(spec), rng, context);
}
std::unique_ptr<Sensor> make_inclinometer(SensorSpec spec, const CounterRng& rng,
                                          const SensorContext& /*context*/) {
  return std::make_unique<Inclinometer>(std::move(spec), rng);
}

}  // namespace twincert::generators::detail
