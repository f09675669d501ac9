// The ship-systems sensors: steering gear, fire detection, hull doors and water level (each
// an alert source) and the central alert management that acknowledges their alerts.
#include <cmath>
#include <string>
#include <utility>

#include "twincert/protocols/nmea0183/sentences/acn.hpp"
#include "twincert/protocols/nmea0183/sentences/dor.hpp"
#include "twincert/protocols/nmea0183/sentences/fir.hpp"
#include "twincert/protocols/nmea0183/sentences/wat.hpp"

#include "sensor_kit.hpp"

namespace twincert::generators::detail {

namespace nmea = twincert::nmea0183;

namespace {

constexpr std::int64_t kStatusTicks = 100;  // section status (S) every 10 s

// A sensor whose only output is its alerts.
class SteeringGear final : public Sensor {
 public:
  SteeringGear(SensorSpec spec, const CounterRng& rng, const SensorContext& context)
      : Sensor(std::move(spec), rng), bam_(*this, "steering_gear", context.alerts) {}
  void sample(const ShipState& s, std::int64_t epoch_s, SentenceBatch& out) override {
    bam_.report(s, epoch_s, out);
  }

 private:
  BamReporter bam_;
};

// Fire detection panel: a status (S) every 10 s with the number of detectors in alarm, an
// event (E) when a detector activates or resets.
class FireDetection final : public Sensor {
 public:
  FireDetection(SensorSpec spec, const CounterRng& rng, const SensorContext& context)
      : Sensor(std::move(spec), rng), bam_(*this, "fire_detection", context.alerts) {}
  void sample(const ShipState& s, std::int64_t epoch_s, SentenceBatch& out) override {
    const bool fire = s.systems.fire;
    if (sends("FIR")) {
      nmea::Fir f;
      f.time = sensor_utc(epoch_s, s).time;
      f.system_type = "FD";
      f.division1 = "ZN";
      if (fire) zone_ = s.systems.fire_zone;  // a reset reports the zone that was in alarm
      if (fire != last_) {
        f.message_type = 'E';
        f.division2 = zone_;
        f.detector_number_or_count = 1;
        f.condition = fire ? 'A' : 'V';
        f.acknowledged = 'V';
        f.description = "ZONE " + std::to_string(zone_) + " DETECTOR 1";
        out.add(f, spec().talker);
      }
      if (due(tick_of(s.t_s), period_ticks(spec()), kStatusTicks)) {
        nmea::Fir status;
        status.message_type = invalid() ? 'F' : 'S';  // F: fault in the system
        status.time = f.time;
        status.system_type = f.system_type;
        status.division1 = f.division1;
        status.detector_number_or_count = fire ? 1 : 0;
        status.description = std::string("DETECTORS IN ALARM ") + (fire ? "1" : "0");
        out.add(status, spec().talker);
      }
    }
    last_ = fire;
    bam_.report(s, epoch_s, out);
  }

 private:
  BamReporter bam_;
  bool last_ = false;
  int zone_ = 1;
};

// Hull (shell) door monitoring: section status every 10 s, an event when a door opens or
// closes; the switch setting is sea mode under way, harbour mode at anchor.
class DoorMonitoring final : public Sensor {
 public:
  DoorMonitoring(SensorSpec spec, const CounterRng& rng, const SensorContext& context)
      : Sensor(std::move(spec), rng), bam_(*this, "door_monitoring", context.alerts) {}
  void sample(const ShipState& s, std::int64_t epoch_s, SentenceBatch& out) override {
    const bool open = s.systems.door_open;
    if (sends("DOR")) {
      nmea::Dor d;
      d.time = sensor_utc(epoch_s, s).time;
      d.system_type = "HD";
      d.division1 = "MD";
      d.division2 = 1;
      d.switch_setting = s.systems.anchored ? 'O' : 'C';
      if (open) door_ = s.systems.door;  // closing reports the door that was open
      if (open != last_) {
        d.message_type = 'E';
        d.door_number_or_count = door_;
        d.door_status = open ? 'O' : 'C';
        d.description = "HULL DOOR " + std::to_string(door_);
        out.add(d, spec().talker);
      }
      if (due(tick_of(s.t_s), period_ticks(spec()), kStatusTicks)) {
        d.message_type = invalid() ? 'F' : 'S';
        d.door_number_or_count = open ? 1 : 0;
        d.door_status.reset();
        d.description = std::string("HULL DOORS OPEN ") + (open ? "1" : "0");
        out.add(d, spec().talker);
      }
    }
    last_ = open;
    bam_.report(s, epoch_s, out);
  }

 private:
  BamReporter bam_;
  bool last_ = false;
  int door_ = 1;
};

// Water level detection in the holds: status every 10 s, an event when the level goes high or
// back to normal.
class WaterLevel final : public Sensor {
 public:
  WaterLevel(SensorSpec spec, const CounterRng& rng, const SensorContext& context)
      : Sensor(std::move(spec), rng), bam_(*this, "water_level", context.alerts) {}
  void sample(const ShipState& s, std::int64_t epoch_s, SentenceBatch& out) override {
    const bool high = s.systems.water_ingress;
    if (sends("WAT")) {
      nmea::Wat w;
      w.time = sensor_utc(epoch_s, s).time;
      w.system_type = "WL";
      w.division1 = "H1";
      w.division2 = "01";
      w.condition = high ? 'H' : 'N';
      w.override_setting = 'N';
      if (high != last_) {
        w.message_type = 'E';
        w.point_number_or_count = 1;
        w.description = "HOLD 1 BILGE LEVEL";
        out.add(w, spec().talker);
      }
      if (due(tick_of(s.t_s), period_ticks(spec()), kStatusTicks)) {
        w.message_type = invalid() ? 'F' : 'S';
        w.point_number_or_count = high ? 1 : 0;
        w.description = std::string("POINTS HIGH ") + (high ? "1" : "0");
        out.add(w, spec().talker);
      }
    }
    last_ = high;
    bam_.report(s, epoch_s, out);
  }

 private:
  BamReporter bam_;
  bool last_ = false;
};

// Central alert management: acknowledges every alert it sees raised after a delay (ACN),
// whether or not the source accepts that; sends its own heartbeat.
class AlertManagement final : public Sensor {
 public:
  AlertManagement(SensorSpec spec, const CounterRng& rng, const SensorContext& context)
      : Sensor(std::move(spec), rng), alerts_(context.alerts) {}
  void sample(const ShipState& s, std::int64_t epoch_s, SentenceBatch& out) override {
    if (alerts_ != nullptr && sends("ACN")) {
      const std::int64_t tick = tick_of(s.t_s);
      const std::int64_t window = period_ticks(spec());
      for (const AlertTimeline& a : *alerts_) {
        if (!in_window(tick, window, a.remote_acknowledge_s) ||
            a.state_at(a.remote_acknowledge_s) == 'N') {
          continue;
        }
        nmea::Acn acn;
        acn.time = sensor_utc(epoch_s, s).time;
        acn.manufacturer = std::string(kAlertManufacturer);
        acn.alert_id = a.definition->alert_id;
        acn.instance = a.instance;
        acn.command = 'A';
        acn.sentence_status = 'C';
        out.add(acn, spec().talker);
      }
    }
    heartbeat(*this, s, out);
  }

 private:
  const std::vector<AlertTimeline>* alerts_;
};

}  // namespace

std::unique_ptr<Sensor> make_steering_gear(SensorSpec spec, const CounterRng& rng,
                                           const SensorContext& context) {
  return std::make_unique<SteeringGear>(std::move(spec), rng, context);
}
std::unique_ptr<Sensor> make_fire_detection(SensorSpec spec, const CounterRng& rng,
                                            const SensorContext& context) {
  return std::make_unique<FireDetection>(std::move(spec), rng, context);
}
std::unique_ptr<Sensor> make_door_monitoring(SensorSpec spec, const CounterRng& rng,
                                             const SensorContext& context) {
  return std::make_unique<DoorMonitoring>(std::move(spec), rng, context);
}
std::unique_ptr<Sensor> make_water_level(SensorSpec spec, const CounterRng& rng,
                                         const SensorContext& context) {
  return std::make_unique<WaterLevel>(std::move(spec), rng, context);
}
std::unique_ptr<Sensor> make_alert_management(SensorSpec spec, const CounterRng& rng,
                                              const SensorContext& context) {
  return std::make_unique<AlertManagement>(std::move(spec), rng, context);
}

}  // namespace twincert::generators::detail
