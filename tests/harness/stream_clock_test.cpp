// The stream clock against a fake schedule (explicit wall times, no sleeping): interpolated
// between frames, running on in silence, held at the next frame when the replay lags, running
// on at the pace's rate after the end (paced) or staying at the end (unpaced).
#include "twincert/harness/stream_clock.hpp"

#include <atomic>
#include <thread>

#include <gtest/gtest.h>

namespace twincert::harness {
namespace {

using std::chrono::milliseconds;
using Clock = StreamClock::Clock;

const Clock::time_point kStart = Clock::time_point{} + std::chrono::hours(1000);

Clock::time_point wall(double s) {
  return kStart + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}

TEST(StreamClockTest, IsZeroBeforeTheReplayBegins) {
  const StreamClock c;
  EXPECT_EQ(c.at(wall(5)), 0.0);
  EXPECT_EQ(c.now(), 0.0);
}

TEST(StreamClockTest, RealtimeRunsOnThroughASilenceUpToTheNextFrame) {
  StreamClock c;
  c.begin(kStart, 10.0, 1.0);
  EXPECT_DOUBLE_EQ(c.at(wall(0)), 10.0);
  c.sent(10.0, wall(0.0001));
  c.waiting(10.2, wall(0.2));
  EXPECT_NEAR(c.at(wall(0.1)), 10.1, 1e-9);  // between frames: not quantised to 10.0
  c.sent(10.2, wall(0.2001));
  c.waiting(30.2, wall(20.2));  // then 20 s of silence
  EXPECT_NEAR(c.at(wall(3.0)), 13.0, 1e-9);
  EXPECT_NEAR(c.at(wall(10.5)), 20.5, 1e-9);
  // The frame after the silence is late (a slow sink): the clock waits for it.
  EXPECT_NEAR(c.at(wall(20.5)), 30.2, 1e-9);
  c.sent(30.2, wall(20.6));
  c.waiting(30.4, wall(20.4));
  EXPECT_NEAR(c.at(wall(20.6)), 30.4, 1e-9);  // on schedule again, held to the next frame
}

TEST(StreamClockTest, ScaledRunsAtItsFactorAndOnAfterTheLastFrame) {
  StreamClock c;
  c.begin(kStart, 0.0, 4.0);
  c.sent(0.0, wall(0));
  c.waiting(8.0, wall(2));
  EXPECT_NEAR(c.at(wall(0.5)), 2.0, 1e-9);
  c.sent(8.0, wall(2.0));                   // the last frame
  EXPECT_NEAR(c.at(wall(2.5)), 8.0, 1e-9);  // not ended yet: held at the last frame
  c.end();
  EXPECT_NEAR(c.at(wall(2.5)), 10.0, 1e-9);
  c.settle_at(9.0);  // a paced clock has its rate: no jump to the scenario's end
  EXPECT_NEAR(c.at(wall(3.0)), 12.0, 1e-9);
}

TEST(StreamClockTest, VirtualMovesTowardsTheNextFrameByItsDeadlineAndStaysAtTheEnd) {
  StreamClock c;
  c.begin(kStart, 0.0, 0.0);
  c.sent(0.0, wall(0));
  c.waiting(1.0, wall(0.001));
  EXPECT_NEAR(c.at(wall(0.0005)), 0.5, 1e-6);
  EXPECT_NEAR(c.at(wall(0.5)), 1.0, 1e-9);  // held back (flow control): never beyond frame 2
  c.sent(1.0, wall(0.6));
  c.waiting(61.0, wall(0.601));  // a minute of silence passes in a millisecond
  EXPECT_NEAR(c.at(wall(0.6005)), 31.0, 1e-6);
  c.sent(61.0, wall(0.601));  // the last frame
  c.end();
  EXPECT_DOUBLE_EQ(c.at(wall(5)), 61.0);
  c.settle_at(62.0);  // the scenario's end
  EXPECT_DOUBLE_EQ(c.at(wall(5)), 62.0);
}

TEST(StreamClockTest, TopSpeedIsTheLastFrameSentWhenTheNextIsDueAtOnce) {
  StreamClock c;
  c.begin(kStart, 0.0, 0.0);
  c.sent(3.0, wall(0.001));
  c.waiting(4.0, wall(0.001));
  EXPECT_DOUBLE_EQ(c.at(wall(1)), 3.0);
}

// One writer and a reader at once: the reader never sees a time that no write made.
TEST(StreamClockTest, AReaderNeverSeesAHalfWrittenSchedule) {
  StreamClock c;
  c.begin(kStart, 0.0, 0.0);
  std::atomic<bool> stop{false};
  std::thread writer([&c, &stop] {
    for (int i = 0; !stop; ++i) {
      const double at = i % 2 == 0 ? 100.0 : 200.0;
      c.sent(at, wall(0));
      c.waiting(at + 1.0, wall(1));
    }
  });
  bool torn = false;
  for (int i = 0; i < 200000 && !torn; ++i) {
    const double t = c.at(wall(0.5));  // a torn mix of two writes would give 150.5
    torn = t != 0.0 && t != 100.0 && t != 200.0 && t != 100.5 && t != 200.5;
  }
  stop = true;
  writer.join();
  EXPECT_FALSE(torn);
}

}  // namespace
}  // namespace twincert::harness
