// The GNSS receiver: position with a wandering error, fix quality, course and speed over
// ground, time and date, satellites in use and in view.
#include <array>
#include <cmath>
#include <cstdint>
#include <memory>
#include <utility>

#include "twincert/protocols/nmea0183/sentences/gga.hpp"
#include "twincert/protocols/nmea0183/sentences/gll.hpp"
#include "twincert/protocols/nmea0183/sentences/gns.hpp"
#include "twincert/protocols/nmea0183/sentences/gsa.hpp"
#include "twincert/protocols/nmea0183/sentences/gsv.hpp"
#include "twincert/protocols/nmea0183/sentences/rmc.hpp"
#include "twincert/protocols/nmea0183/sentences/vtg.hpp"
#include "twincert/protocols/nmea0183/sentences/zda.hpp"

#include "sensor_kit.hpp"

namespace twincert::generators::detail {

namespace nmea = twincert::nmea0183;

namespace {

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

}  // namespace

std::unique_ptr<Sensor> make_gnss(SensorSpec spec, const CounterRng& rng,
                                  const SensorContext& /*context*/) {
  return std::make_unique<Gnss>(std::move(spec), rng);
}

}  // namespace twincert::generators::detail
