// The AIS transponder's presentation interface: VDM for the targets it hears, VDO for the own
// ship.
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "twincert/protocols/ais/messages.hpp"

#include "sensor_kit.hpp"

namespace twincert::generators::detail {

namespace nmea = twincert::nmea0183;
namespace ais = twincert::ais;

namespace {

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

}  // namespace

std::unique_ptr<Sensor> make_ais_transponder(SensorSpec spec, const CounterRng& rng,
                                             const SensorContext& context) {
  return std::make_unique<AisTransponder>(std::move(spec), rng, context);
}

}  // namespace twincert::generators::detail
