// The coordinator's queue without a network: who gets which case, what an expired or cancelled
// lease does, that no case reaches the results twice whatever the agents do, and resuming.
#include "twincert/hil/queue.hpp"

#include <algorithm>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "twincert/base/config_error.hpp"

#include <rapidcheck.h>

namespace twincert::hil {
namespace {

using ::testing::HasSubstr;

Rig serial_rig(std::string id, unsigned baud = 38400) {
  Rig r;
  r.id = std::move(id);
  r.serial = {{"pty", baud}};
  r.health_check = {"true"};
  return r;
}

QueuedCase queued(std::string id, std::string planned_rig, unsigned baud = 38400) {
  QueuedCase q;
  q.spec.id = std::move(id);
  q.needs.id = q.spec.id;
  q.needs.link = {true, baud};
  q.planned_rig = std::move(planned_rig);
  return q;
}

QueueOptions options() {
  QueueOptions o;
  o.lease_s = 10;
  o.max_attempts = 2;
  o.reservation_timeout_s = 1000;
  return o;
}

const nlohmann::json kPass = {{"verdict", "pass"}};

TEST(QueueTest, ARigGetsItsPlannedCasesInPlanOrderOneAtATime) {
  Queue q({queued("c1", "a"), queued("c2", "b"), queued("c3", "a")},
          {serial_rig("a"), serial_rig("b")}, options(), 0);
  q.seen("b", 0, true, "");
  const auto first = q.lease("a", 1);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->item->spec.id, "c1");
  EXPECT_FALSE(q.lease("a", 2)) << "a rig holding a lease gets no second case";
  EXPECT_EQ(q.complete(first->lease, "a", kPass, {}, 3), LeaseStanding::kHeld);
  EXPECT_EQ(q.lease("a", 4)->item->spec.id, "c3");
  EXPECT_FALSE(q.lease("a", 5)) << "c2 is b's, and b is there";
}

TEST(QueueTest, AnAbsentRigsCasesGoElsewhereAfterALeasePeriod) {
  Queue q({queued("c1", "a"), queued("c2", "b")}, {serial_rig("a"), serial_rig("b")}, options(), 0);
  const auto own = q.lease("b", 1);
  ASSERT_TRUE(own);
  q.complete(own->lease, "b", kPass, {}, 2);
  EXPECT_FALSE(q.lease("b", 5)) << "a may still come";
  EXPECT_EQ(q.lease("b", 11)->item->spec.id, "c1") << "a never came within a lease period";
}

TEST(QueueTest, AnIncapableOrUnhealthyRigGetsNothing) {
  Queue q({queued("c1", "")}, {serial_rig("slow", 4800), serial_rig("sick")}, options(), 0);
  EXPECT_FALSE(q.lease("slow", 1)) << "38400 baud case, 4800 baud rig";
  q.seen("sick", 1, false, "no device on /dev/ttyUSB0");
  EXPECT_FALSE(q.lease("sick", 2));
  EXPECT_FALSE(q.lease("nobody", 2));
  q.seen("sick", 3, true, "");
  EXPECT_TRUE(q.lease("sick", 4));
}

TEST(QueueTest, AnExpiredLeaseIsRetriedElsewhereAndItsLateReportNotCounted) {
  Queue q({queued("c1", "a")}, {serial_rig("a"), serial_rig("b")}, options(), 0);
  const auto lost = q.lease("a", 0);
  ASSERT_TRUE(lost);
  EXPECT_EQ(q.heartbeat(lost->lease, "a", 5), LeaseStanding::kHeld);
  EXPECT_TRUE(q.tick(14).empty()) << "9 s since the last heartbeat: still held";
  const auto events = q.tick(16);
  ASSERT_EQ(events.size(), 1U);
  EXPECT_THAT(events[0], HasSubstr("lease expired: no heartbeat for 11 s; queued again"));
  EXPECT_EQ(q.heartbeat(lost->lease, "a", 16), LeaseStanding::kExpired);
  const auto retry = q.lease("b", 17);
  ASSERT_TRUE(retry);
  EXPECT_EQ(retry->item->spec.id, "c1");
  EXPECT_EQ(q.complete(lost->lease, "a", kPass, {}, 18), LeaseStanding::kExpired);
  EXPECT_EQ(q.cases()[0].state, CaseState::kLeased) << "the late report changed nothing";
  EXPECT_EQ(q.complete(retry->lease, "b", kPass, {{"case.json", "ab"}}, 19), LeaseStanding::kHeld);
  EXPECT_EQ(q.cases()[0].rig, "b");
  EXPECT_EQ(q.cases()[0].attempts.size(), 2U);
  EXPECT_TRUE(q.finished());
}

TEST(QueueTest, ACaseWhoseLeaseExpiresMaxAttemptsTimesIsLost) {
  Queue q({queued("c1", "a")}, {serial_rig("a")}, options(), 0);
  ASSERT_TRUE(q.lease("a", 0));
  q.tick(11);
  ASSERT_TRUE(q.lease("a", 12)) << "only a can take it: again on a";
  q.tick(23);
  EXPECT_EQ(q.cases()[0].state, CaseState::kLost);
  EXPECT_EQ(q.cases()[0].reason, "its lease expired 2 times");
  EXPECT_TRUE(q.finished());
}

TEST(QueueTest, AReportIsAcceptedOnlyFromTheRigHoldingTheLease) {
  Queue q({queued("c1", "a")}, {serial_rig("a"), serial_rig("b")}, options(), 0);
  const auto offer = q.lease("a", 0);
  EXPECT_EQ(q.complete(offer->lease, "b", kPass, {}, 1), LeaseStanding::kUnknown);
  EXPECT_EQ(q.complete("L999", "a", kPass, {}, 1), LeaseStanding::kUnknown);
  EXPECT_EQ(q.complete(offer->lease, "a", kPass, {}, 1), LeaseStanding::kHeld);
  EXPECT_EQ(q.complete(offer->lease, "a", kPass, {}, 2), LeaseStanding::kExpired)
      << "a second report of the same lease";
}

TEST(QueueTest, CancellingEndsTheCaseAndItsLease) {
  Queue q({queued("c1", "a"), queued("c2", "a")}, {serial_rig("a")}, options(), 0);
  const auto offer = q.lease("a", 0);
  EXPECT_TRUE(q.cancel("c1", "rig needed for a repair", 1));
  EXPECT_EQ(q.heartbeat(offer->lease, "a", 2), LeaseStanding::kCancelled);
  EXPECT_EQ(q.complete(offer->lease, "a", kPass, {}, 3), LeaseStanding::kCancelled);
  EXPECT_TRUE(q.cancel("c2", "not needed", 3));
  EXPECT_FALSE(q.cancel("c2", "again", 4));
  EXPECT_FALSE(q.cancel("c9", "no such case", 4));
  EXPECT_TRUE(q.finished());
  EXPECT_EQ(q.cases()[0].reason, "rig needed for a repair");
}

TEST(QueueTest, ACaseNoRigTakesInTimeIsMarkedNotRun) {
  QueueOptions o = options();
  o.reservation_timeout_s = 60;
  Queue q({queued("c1", "a", 4800)}, {serial_rig("a", 38400)}, o, 0);
  EXPECT_TRUE(q.tick(60).empty());
  const auto events = q.tick(61);
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(q.cases()[0].state, CaseState::kNotRun);
  EXPECT_EQ(q.cases()[0].reason, "no capable rig took it within 60 s");
}

TEST(QueueTest, ARestartedCoordinatorKeepsWhatWasFinishedAndQueuesWhatWasLeased) {
  const auto make = [] {
    return Queue({queued("c1", "a"), queued("c2", "a")}, {serial_rig("a")}, options(), 0);
  };
  Queue before = make();
  const auto done = before.lease("a", 0);
  before.complete(done->lease, "a", kPass, {{"observations.jsonl", "00"}}, 1);
  const auto running = before.lease("a", 2);
  Queue after = make();
  after.restore(nlohmann::json::parse(before.to_json().dump()), 100);
  EXPECT_EQ(after.cases()[0].state, CaseState::kDone);
  EXPECT_EQ(after.cases()[0].files.at("observations.jsonl"), "00");
  EXPECT_EQ(after.cases()[1].state, CaseState::kPending);
  EXPECT_EQ(after.cases()[1].attempts.back().outcome, "coordinator restarted");
  EXPECT_EQ(after.complete(running->lease, "a", kPass, {}, 101), LeaseStanding::kExpired);
  const auto again = after.lease("a", 102);
  ASSERT_TRUE(again);
  EXPECT_NE(again->lease, running->lease) << "lease ids are not reused";
  EXPECT_THROW(after.restore(nlohmann::json::parse(R"({"cases": 3})"), 0), ConfigError);
}

TEST(QueueTest, ACaseOnAnUnknownRigIsAConfigurationError) {
  EXPECT_THROW(Queue({queued("c1", "z")}, {serial_rig("a")}, options(), 0), ConfigError);
}

const std::vector<std::string> kRigs = {"a", "b", "c"};

// One random thing an agent (or the clock) does.
void act(Queue& q, std::map<std::string, std::string>& held, double now) {
  const std::string rig = *rc::gen::elementOf(kRigs);
  std::string& lease = held[rig];
  switch (*rc::gen::inRange(0, 5)) {
    case 0:
      if (const auto offer = q.lease(rig, now)) lease = offer->lease;
      break;
    case 1:
      if (!lease.empty()) q.heartbeat(lease, rig, now);
      break;
    case 2:
      if (!lease.empty()) q.complete(lease, rig, kPass, {}, now);
      lease.clear();
      break;
    case 3:
      lease.clear();  // the agent vanished
      break;
    default:
      q.tick(now);
  }
}

// Agents that behave, at last, until the queue is finished.
void finish(Queue& q, double now) {
  for (int round = 0; round < 100 && !q.finished(); ++round) {
    now += 11;
    q.tick(now);
    for (const std::string& rig : kRigs) {
      if (const auto offer = q.lease(rig, now)) q.complete(offer->lease, rig, kPass, {}, now);
    }
  }
}

// Every case ended, and at most once in the results.
void check_ended(const Queue& q) {
  RC_ASSERT(q.finished());
  for (const QueuedCase& c : q.cases()) {
    const auto completed = std::count_if(c.attempts.begin(), c.attempts.end(),
                                         [](const Attempt& a) { return a.outcome == "completed"; });
    RC_ASSERT(completed == (c.state == CaseState::kDone ? 1 : 0));
    RC_ASSERT(c.state == CaseState::kDone || c.state == CaseState::kLost);
    if (c.state == CaseState::kDone) RC_ASSERT(c.attempts.back().rig == c.rig);
  }
}

// Whatever the agents do — lease, heartbeat, report, vanish — and whenever the clock ticks:
// a case is in the results at most once (one completed attempt), reported by the rig of its
// last attempt, and in the end every case has ended (done, or lost after expired leases).
RC_GTEST_PROP(QueueProperty, NoCaseIsRunTwiceIntoTheResults, ()) {
  const int count = *rc::gen::inRange(1, 8);
  std::vector<QueuedCase> cases;
  cases.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    cases.push_back(queued("c" + std::to_string(i), kRigs[static_cast<std::size_t>(i) % 3]));
  }
  Queue q(cases, {serial_rig("a"), serial_rig("b"), serial_rig("c")}, options(), 0);
  std::map<std::string, std::string> held;  // rig -> the lease its agent thinks it holds
  double now = 0;
  const int steps = *rc::gen::inRange(1, 200);
  for (int s = 0; s < steps; ++s) {
    now += *rc::gen::inRange(0, 6);
    act(q, held, now);
  }
  finish(q, now);
  check_ended(q);
}

}  // namespace
}  // namespace twincert::hil
