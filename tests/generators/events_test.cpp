// Scenario events: systems over time, alert life cycles, and what the ship and its sensors do
// when the engine stops, the rudder jams, a fire breaks out, the power fails or it lies at anchor.
#include "twincert/generators/events.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "twincert/base/config_error.hpp"
#include "twincert/generators/alerts.hpp"
#include "twincert/generators/scenario.hpp"
#include "twincert/generators/simulation.hpp"

#include "config_error_message.hpp"

namespace twincert::generators {
namespace {

using ::testing::HasSubstr;

// A short transit with the standard sensors and the given events (JSON array text).
Scenario with_events(const std::string& events, const std::string& extra = "") {
  return parse_scenario(R"({"name":"t","start_utc":"2025-11-22T09:00:00Z","duration_s":600,
      "vessel":"container-feeder","route":[{"lat":54,"lon":6},{"lat":54.5,"lon":6}],
      "rpm_order":80,"sensors":"standard","events":)" +
                            events + extra + "}",
                        "test.json");
}

struct Line {
  double t;
  std::string source;
  std::string text;
};

std::vector<Line> run(const Scenario& sc, double duration,
                      std::vector<ShipState>* truth = nullptr) {
  std::vector<Line> out;
  Simulation sim(sc, 7);
  sim.run(
      duration,
      [&](double t, std::size_t /*sensor_index*/, const SensorSpec& s, std::string_view text) {
        out.push_back({t, s.source, std::string(text)});
      },
      [&](const ShipState& s) {
        if (truth != nullptr) truth->push_back(s);
      });
  return out;
}

std::vector<Line> matching(const std::vector<Line>& lines, const std::string& needle) {
  std::vector<Line> out;
  std::copy_if(lines.begin(), lines.end(), std::back_inserter(out),
               [&](const Line& l) { return l.text.find(needle) != std::string::npos; });
  return out;
}

TEST(Events, AnRpmOrderHoldsUntilTheNextAndFailuresOnlyInTheirSpan) {
  const std::vector<Event> events = {{"rpm_order", 100, 0, {{"rpm", 40}}},
                                     {"engine_failure", 200, 50, {}},
                                     {"rpm_order", 300, 0, {{"rpm", 20}}}};
  ShipSystems base;
  base.rpm_order = 80;
  EXPECT_EQ(systems_at(events, 99, base).rpm_order, 80);
  EXPECT_EQ(systems_at(events, 100, base).rpm_order, 40);
  EXPECT_EQ(systems_at(events, 299, base).rpm_order, 40);
  EXPECT_EQ(systems_at(events, 5000, base).rpm_order, 20);
  EXPECT_FALSE(systems_at(events, 199.9, base).engine_failed);
  EXPECT_TRUE(systems_at(events, 200, base).engine_failed);
  EXPECT_FALSE(systems_at(events, 250, base).engine_failed);
}

TEST(Alerts, ARemotelyAcknowledgedAlertGoesActiveAcknowledgedThenNormal) {
  const auto timelines = alert_timelines({{"engine_failure", 100, 200, {}}}, false);
  ASSERT_EQ(timelines.size(), 1U);
  const AlertTimeline& a = timelines[0];
  EXPECT_EQ(a.definition->condition, "engine_failure");
  EXPECT_EQ(a.state_at(99), '\0');
  EXPECT_EQ(a.state_at(100), 'V');
  EXPECT_EQ(a.state_at(100 + kRemoteAcknowledgeDelayS), 'A');
  EXPECT_EQ(a.state_at(300), 'N');
  EXPECT_EQ(a.revision_at(100), 1);
  EXPECT_EQ(a.revision_at(200), 2);
  EXPECT_EQ(a.revision_at(300), 3);
}

TEST(Alerts, AFireIsAcknowledgedOnlyLocallyAndAShortOneEndsRectifiedUnacknowledged) {
  const auto fire = alert_timelines({{"fire", 100, 600, {}}}, false);
  ASSERT_EQ(fire.size(), 1U);
  EXPECT_FALSE(fire[0].definition->remote_acknowledge);
  EXPECT_EQ(fire[0].state_at(100 + kRemoteAcknowledgeDelayS), 'V');
  EXPECT_EQ(fire[0].state_at(100 + kLocalAcknowledgeDelayS), 'A');
  const auto brief = alert_timelines({{"water_ingress", 100, 10, {}}}, false);
  EXPECT_EQ(brief[0].state_at(115), 'U');
  EXPECT_EQ(brief[0].state_at(100 + kRemoteAcknowledgeDelayS), 'N');
}

TEST(Alerts, ADoorOpenAtAnchorRaisesNoAlertAndRepeatsGetNewInstances) {
  EXPECT_TRUE(alert_timelines({{"door_open", 10, 10, {}}}, true).empty());
  const auto twice =
      alert_timelines({{"door_open", 10, 10, {}}, {"door_open", 100, 10, {}}}, false);
  ASSERT_EQ(twice.size(), 2U);
  EXPECT_EQ(twice[0].instance, 1);
  EXPECT_EQ(twice[1].instance, 2);
}

TEST(EventsInSimulation, AnEngineFailureRunsTheEngineDownAndTheShipLosesWay) {
  std::vector<ShipState> truth;
  run(with_events(R"([{"at_s":60,"kind":"engine_failure","duration_s":400}])"), 400, &truth);
  EXPECT_NEAR(truth[59].rpm, 80.0, 0.1);
  EXPECT_EQ(truth[200].rpm, 0.0);
  EXPECT_LT(truth[399].stw_kn, truth[59].stw_kn * 0.2);
  for (std::size_t i = 61; i < truth.size(); ++i) EXPECT_LE(truth[i].stw_kn, truth[i - 1].stw_kn);
}

TEST(EventsInSimulation, AJammedRudderHoldsItsAngleAndTheShipTurns) {
  std::vector<ShipState> truth;
  run(with_events(R"([{"at_s":60,"kind":"steering_failure","duration_s":120,"rudder_deg":20}])"),
      300, &truth);
  for (std::size_t t = 70; t < 180; ++t) EXPECT_NEAR(truth[t].rudder_deg, 20.0, 1e-9) << t;
  EXPECT_GT(truth[170].rot_deg_s, 0.5);
  // Restored, the autopilot takes the rudder back towards the course.
  EXPECT_LT(truth[260].rudder_deg, 20.0);
}

TEST(EventsInSimulation, ABlackoutSilencesEverySensorAndTheyReturnAfterIt) {
  const auto lines = run(with_events(R"([{"at_s":100,"kind":"blackout","duration_s":50}])"), 200);
  const auto inside = std::count_if(lines.begin(), lines.end(),
                                    [](const Line& l) { return l.t >= 100 && l.t < 150; });
  EXPECT_EQ(inside, 0);
  const auto after = std::count_if(lines.begin(), lines.end(),
                                   [](const Line& l) { return l.t >= 150 && l.t < 151; });
  EXPECT_GE(after, 10);  // every source at once, with the clock 50 s on
  const auto gga = matching(lines, "GPGGA");
  const auto resumed =
      std::find_if(gga.begin(), gga.end(), [](const Line& l) { return l.t >= 150; });
  ASSERT_NE(resumed, gga.end());
  EXPECT_NE(resumed->text.find(",090230.00,"), std::string::npos) << resumed->text;
}

TEST(EventsInSimulation, AFireRaisesFirAndAlfAndTheRemoteAcknowledgementIsRefused) {
  const auto lines =
      run(with_events(R"([{"at_s":60,"kind":"fire","duration_s":200,"zone":3}])"), 400);
  const auto events = matching(lines, "FRFIR,E,");
  ASSERT_EQ(events.size(), 2U);
  EXPECT_EQ(events[0].t, 60.0);
  EXPECT_NE(events[0].text.find(",003,001,A,V,"), std::string::npos) << events[0].text;
  EXPECT_EQ(events[1].t, 260.0);
  EXPECT_NE(events[1].text.find(",003,001,V,"), std::string::npos) << events[1].text;
  const auto alf = matching(lines, "FRALF,2,1,");
  ASSERT_EQ(alf.size(), 3U);  // raised, acknowledged locally, back to normal
  EXPECT_NE(alf[0].text.find(",B,A,V,TWC,10003,1,1,"), std::string::npos) << alf[0].text;
  EXPECT_EQ(alf[1].t, 60 + kLocalAcknowledgeDelayS);
  EXPECT_NE(alf[2].text.find(",N,TWC,10003,1,3,"), std::string::npos) << alf[2].text;
  const auto acn = matching(lines, "CAACN,");
  const auto arc = matching(lines, "FRARC,");
  ASSERT_EQ(acn.size(), 1U);
  ASSERT_EQ(arc.size(), 1U);
  EXPECT_LT(acn[0].t, arc[0].t);
  // While active, the cyclic list carries it.
  const auto alc = matching(lines, "FRALC,");
  const auto listed = std::count_if(alc.begin(), alc.end(), [](const Line& l) {
    return l.text.find(",TWC,10003,1,") != std::string::npos;
  });
  EXPECT_EQ(listed, 7);  // at 60 (raised that instant), 90, ..., 240
}

TEST(EventsInSimulation, AtAnchorTheShipSwingsWithinItsScopeAndDoorsAreInHarbourMode) {
  const Scenario sc = parse_scenario(
      R"({"name":"a","start_utc":"2025-11-22T09:00:00Z","vessel":"bulk-carrier",
          "anchor":{"lat":51.4,"lon":3.4,"scope_m":200},"sensors":"standard",
          "events":[{"at_s":30,"kind":"door_open","duration_s":60}]})",
      "anchor.json");
  std::vector<ShipState> truth;
  const auto lines = run(sc, 900, &truth);
  for (const ShipState& s : truth) {
    EXPECT_NEAR(distance_m(s.position, sc.anchorage->anchor), 200.0, 1.0);
    EXPECT_LT(s.sog_kn, 3.0);
  }
  EXPECT_TRUE(matching(lines, "HDALF").empty());
  const auto doors = matching(lines, "HDDOR,E,");
  ASSERT_EQ(doors.size(), 2U);
  EXPECT_NE(doors[0].text.find(",O,O,"), std::string::npos) << doors[0].text;
}

TEST(EventsInScenario, ErrorsNameThePathAndWhatWasExpected) {
  EXPECT_THAT(config_error([] { with_events(R"([{"at_s":1,"kind":"meteor"}])"); }),
              HasSubstr("test.json: /events/0/kind: unknown event kind \"meteor\""));
  EXPECT_EQ(config_error([] { with_events(R"([{"at_s":1,"kind":"fire","door":2}])"); }),
            "test.json: /events/0/door: event kind fire takes no parameter \"door\" "
            "(it takes: zone)");
  EXPECT_EQ(config_error([] { with_events(R"([{"kind":"blackout"}])"); }),
            "test.json: /events/0: missing required key \"at_s\"");
}

TEST(EventsInScenario, OffsetFaultsOnSensorsThatMeasureNothingAreRefused) {
  Scenario sc = with_events("[]");
  EXPECT_THAT(config_error([&] { add_fault(sc, parse_fault("bias:HD0001@10+10,heading_deg=3")); }),
              HasSubstr("HD0001 is a door_monitoring sensor, which reports states"));
  EXPECT_NO_THROW(add_fault(sc, parse_fault("dropout:HD0001@10+10")));
}

}  // namespace
}  // namespace twincert::generators
