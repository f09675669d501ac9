#include <cmath>
#include <set>
#include <vector>

#include <gtest/gtest.h>

#include "twincert/generators/autopilot.hpp"
#include "twincert/generators/geodesy.hpp"
#include "twincert/generators/random.hpp"
#include "twincert/generators/scenario.hpp"
#include "twincert/generators/vessel.hpp"

namespace twincert::generators {
namespace {

TEST(CounterRngTest, IsAPureFunctionOfSeedStreamAndCounter) {
  const CounterRng a(42);
  const CounterRng b(42);
  const CounterRng c(43);
  EXPECT_EQ(a.bits(7, 100), b.bits(7, 100));
  EXPECT_NE(a.bits(7, 100), c.bits(7, 100));
  EXPECT_NE(a.bits(7, 100), a.bits(8, 100));
  EXPECT_NE(a.bits(7, 100), a.bits(7, 101));
}

TEST(CounterRngTest, UniformAndNormalHaveTheirMoments) {
  NoiseStream s(CounterRng(1), "moments");
  double sum = 0.0;
  double sum_sq = 0.0;
  double usum = 0.0;
  constexpr int kN = 200000;
  for (int i = 0; i < kN; ++i) {
    const double u = s.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    usum += u;
    const double x = s.normal();
    sum += x;
    sum_sq += x * x;
  }
  EXPECT_NEAR(usum / kN, 0.5, 0.005);
  EXPECT_NEAR(sum / kN, 0.0, 0.01);
  EXPECT_NEAR(std::sqrt(sum_sq / kN), 1.0, 0.01);
}

TEST(CounterRngTest, NormalDrawsRepeatAfterASeekAndPairHalvesAreUncorrelated) {
  NoiseStream s(CounterRng(5), "pairs");
  std::vector<double> first(7);
  for (double& x : first) x = s.normal();
  s.seek(3);  // into the middle of a pair
  for (std::size_t i = 3; i < first.size(); ++i) EXPECT_EQ(s.normal(), first[i]) << i;
  s.seek(0);
  for (std::size_t i = 0; i < first.size(); ++i) EXPECT_EQ(s.normal(), first[i]) << i;

  // The two halves of each Box-Muller pair are independent normals: no correlation.
  s.seek(8);  // at a pair's first half
  double sum_xy = 0.0;
  constexpr int kPairs = 100000;
  for (int i = 0; i < kPairs; ++i) {
    const double x = s.normal();
    sum_xy += x * s.normal();
  }
  EXPECT_NEAR(sum_xy / kPairs, 0.0, 0.015);
}

// A Gauss-Markov error keeps its standard deviation and forgets itself at the rate tau says:
// after one step exp(-dt/tau) of it is left, after tau about 1/e.
TEST(WanderingErrorTest, HasItsSigmaAndCorrelationTime) {
  constexpr double kSigma = 2.0;
  constexpr double kTau = 20.0;
  WanderingError w(CounterRng(3), "wander", kSigma, kTau, 1.0);
  constexpr std::size_t kSteps = 200000;
  constexpr auto kN = static_cast<double>(kSteps);
  double sum_sq = 0.0;
  double lag1 = 0.0;
  double lag_tau = 0.0;
  std::vector<double> history;
  history.reserve(kSteps);
  for (std::size_t i = 0; i < kSteps; ++i) {
    w.step();
    history.push_back(w.first());
    sum_sq += w.first() * w.first();
    if (i >= 1) lag1 += w.first() * history[i - 1];
    if (i >= 20) lag_tau += w.first() * history[i - 20];
  }
  EXPECT_EQ(w.steps(), kSteps);
  const double variance = sum_sq / kN;
  EXPECT_NEAR(std::sqrt(variance), kSigma, 0.05 * kSigma);
  EXPECT_NEAR(lag1 / (kN - 1) / variance, std::exp(-1.0 / kTau), 0.01);
  EXPECT_NEAR(lag_tau / (kN - 20) / variance, std::exp(-1.0), 0.05);

  // Its first value is already of the stationary spread (not 0 and growing), the two components
  // are independent, and it is a function of seed and name.
  double first_sq = 0.0;
  double cross = 0.0;
  for (int seed = 0; seed < 4000; ++seed) {
    WanderingError fresh(CounterRng(static_cast<std::uint64_t>(seed)), "wander", kSigma, kTau, 1.0);
    fresh.step();
    first_sq += fresh.first() * fresh.first();
    cross += fresh.first() * fresh.second();
  }
  EXPECT_NEAR(std::sqrt(first_sq / 4000), kSigma, 0.1 * kSigma);
  EXPECT_NEAR(cross / 4000 / (kSigma * kSigma), 0.0, 0.05);
  WanderingError again(CounterRng(3), "wander", kSigma, kTau, 1.0);
  for (std::size_t i = 0; i < kSteps; ++i) again.step();
  EXPECT_EQ(again.first(), history.back());
}

TEST(GeodesyTest, OneMinuteOfLatitudeIsAboutOneNauticalMile) {
  // The meridian arc of 1' is 1842.9 m at the equator and 1861.6 m at the poles (WGS-84).
  const GeoPoint p = advance(GeoPoint{0.0, 0.0}, 1842.9, 0.0);
  EXPECT_NEAR(p.lat_deg * 60.0, 1.0, 1e-4);
  const GeoPoint q = advance(GeoPoint{45.0, 10.0}, 0.0, 1000.0);
  EXPECT_NEAR(q.lat_deg, 45.0, 1e-12);
  EXPECT_NEAR(bearing_deg(GeoPoint{45.0, 10.0}, q), 90.0, 1e-6);
  EXPECT_NEAR(distance_m(GeoPoint{45.0, 10.0}, q), 1000.0, 1e-3);
}

TEST(GeodesyTest, RadiiOfCurvatureAreWgs84s) {
  // M = a(1-e^2) and N = a at the equator; M = N = a/sqrt(1-e^2) at the poles (NIMA TR8350.2).
  EXPECT_NEAR(meridional_radius_m(0.0), 6335439.327, 1e-3);
  EXPECT_NEAR(prime_vertical_radius_m(0.0), 6378137.0, 1e-3);
  EXPECT_NEAR(meridional_radius_m(90.0), 6399593.626, 1e-3);
  EXPECT_NEAR(prime_vertical_radius_m(-90.0), 6399593.626, 1e-3);
}

TEST(GeodesyTest, SmallStepsAreInvertedToTheMillimetre) {
  for (double lat : {-60.0, 0.0, 54.2, 78.0}) {
    const GeoPoint a{lat, 179.999};
    const GeoPoint b = advance(a, 73.0, 41.0);  // crosses the antimeridian
    double n = 0.0;
    double e = 0.0;
    offset_m(a, b, n, e);
    EXPECT_NEAR(n, 73.0, 1e-3) << lat;
    EXPECT_NEAR(e, 41.0, 1e-3) << lat;
    EXPECT_GE(b.lon_deg, -180.0);
    EXPECT_LT(b.lon_deg, 180.0);
  }
}

VesselClass feeder() {
  return load_scenario("open-sea-transit").vessel;
}

Environment calm() {
  EnvironmentSpec e;
  e.wind_speed_kn = 0.0;
  e.gust_kn = 0.0;
  e.current_drift_kn = 0.0;
  return Environment(e, CounterRng(1));
}

TEST(VesselTest, SteadyTurnRateIsNomotoKTimesRudder) {
  const VesselClass v = feeder();
  const Environment env = calm();
  ShipState s;
  s.position = GeoPoint{54.0, 6.0};
  s.rpm = v.service_rpm;
  s.stw_kn = v.service_speed_kn;
  const Controls c{10.0, v.service_rpm};
  for (int i = 0; i < 6000; ++i) s = step(v, s, c, env, 0.1);
  EXPECT_NEAR(s.rudder_deg, 10.0, 1e-9);
  // r = K * delta at the speed reached in the turn (the rudder costs a little speed).
  const double k = v.nomoto_k_per_s * s.stw_kn / v.service_speed_kn;
  EXPECT_NEAR(s.rot_deg_s, k * 10.0, 0.01 * k * 10.0);
  EXPECT_LT(s.roll_deg, 0.0);  // heels outward (to port) in a starboard turn
}

TEST(VesselTest, RudderMovesNoFasterThanTheSteeringGear) {
  const VesselClass v = feeder();
  const Environment env = calm();
  ShipState s;
  s.stw_kn = 10.0;
  const ShipState n = step(v, s, Controls{35.0, 0.0}, env, 1.0);
  EXPECT_NEAR(n.rudder_deg, v.rudder_rate_deg_s, 1e-9);
}

TEST(VesselTest, SpeedFollowsRpmWithLagAndCurrentAddsToGroundSpeed) {
  const VesselClass v = feeder();
  EnvironmentSpec e;
  e.wind_speed_kn = 0.0;
  e.gust_kn = 0.0;
  e.current_set_deg = 0.0;
  e.current_drift_kn = 1.0;
  const Environment env(e, CounterRng(1));
  ShipState s;
  s.heading_deg = 0.0;
  s.rpm = v.service_rpm;
  const Controls c{0.0, v.service_rpm};
  s = step(v, s, c, env, v.speed_lag_s);
  EXPECT_NEAR(s.stw_kn, v.service_speed_kn * (1.0 - std::exp(-1.0)), 0.01);
  for (int i = 0; i < 100; ++i) s = step(v, s, c, env, v.speed_lag_s);
  EXPECT_NEAR(s.stw_kn, v.service_speed_kn, 1e-6);
  EXPECT_NEAR(s.sog_kn, v.service_speed_kn + 1.0, 1e-6);  // current from astern
}

TEST(AutopilotTest, FollowsARouteWithAlterations) {
  const Scenario sc = load_scenario("open-sea-transit");
  const Environment env(sc.environment, CounterRng(3));
  Autopilot pilot(sc.route, AutopilotTuning{});
  ShipState s;
  s.position = sc.route[0];
  s.heading_deg = bearing_deg(sc.route[0], sc.route[1]);
  s.rpm = sc.rpm_order;
  s.stw_kn = sc.vessel.service_speed_kn * sc.rpm_order / sc.vessel.service_rpm;
  double closest_to_turn = 1e9;
  for (int i = 0; i < 180000 && !pilot.finished(); ++i) {  // up to 5 h
    s = step(sc.vessel, s, pilot.command(s, sc.rpm_order), env, 0.1);
    closest_to_turn = std::min(closest_to_turn, distance_m(s.position, sc.route[1]));
  }
  EXPECT_LT(closest_to_turn, AutopilotTuning{}.arrival_radius_m);
  EXPECT_GE(pilot.next_waypoint(), 2U);
  EXPECT_LT(std::abs(wrap_180(s.heading_deg - bearing_deg(s.position, sc.route[2]))), 10.0);
}

}  // namespace
}  // namespace twincert::generators
