// The stream's time as a continuous function of wall time, from a replay's pacing schedule:
// how far the stream has got *now*, for stamping what a twin does on arrival. It is not the
// time of the last frame sent: that stops in every silence of the stream (an input lost for
// 20 s would stamp everything the twin said in those 20 s at their start) and moves in steps of
// the frame spacing.
//
// The replay writes it (begin; waiting and sent for each frame; end); observers read now().
// Paced replays (realtime, xN) have a rate: the stream is at first_at + (wall - start) * rate,
// held between the last frame sent and the next one (a replay held back by a slow sink never
// runs ahead of the frame it has not sent yet), and after the last frame it runs on at the
// rate. Unpaced replays (virtual, max) have no rate: the time moves from the last frame sent
// towards the next as the wall clock moves towards the next frame's deadline, and after the
// end it stays where the replay left it (or at settle_at's time, whichever is later).
//
// Thread-safe: one writer thread (the replay) and any number of readers; the writer never
// waits and a reader retries while a write is under way (a sequence lock of atomics), so the
// replay's loop pays a few stores per frame.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace twincert::harness {

class StreamClock {
 public:
  using Clock = std::chrono::steady_clock;

  // Before the first frame: the frame at `first_at_s` is due at `start`. `rate`: stream seconds
  // per wall second (realtime 1, xN N); 0 for unpaced replays.
  void begin(Clock::time_point start, double first_at_s, double rate);
  // The replay waits to send the frame at `at_s`, due at `due` (unpaced: its deadline; at top
  // speed, now).
  void waiting(double at_s, Clock::time_point due);
  // That frame went out at `sent`; until the replay waits for the next, the clock holds here.
  void sent(double at_s, Clock::time_point sent);
  // After the last frame (or a stop): a paced clock runs on at its rate from here on.
  void end();
  // An unpaced replay has no rate to run on with: its stream is taken to have reached `t_s`
  // (the end of the scenario) once it ended. Ignored by paced clocks.
  void settle_at(double t_s);

  // The stream time now (before begin: 0, or settle_at's time).
  double now() const { return at(Clock::now()); }
  double at(Clock::time_point wall) const;

 private:
  struct Snapshot {
    std::int64_t start_ns;
    double first_at_s;
    double rate;
    double last_at_s;
    std::int64_t sent_ns;
    double next_at_s;
    std::int64_t next_due_ns;
    bool begun;
    bool ended;
    double floor_s;
  };
  template <class Write>
  void write(Write&& w);
  Snapshot read() const;

  std::atomic<std::uint64_t> sequence_{0};
  std::atomic<std::int64_t> start_ns_{0};
  std::atomic<double> first_at_s_{0.0};
  std::atomic<double> rate_{0.0};
  std::atomic<double> last_at_s_{0.0};
  std::atomic<std::int64_t> sent_ns_{0};
  std::atomic<double> next_at_s_{0.0};
  std::atomic<std::int64_t> next_due_ns_{0};
  std::atomic<bool> begun_{false};
  std::atomic<bool> ended_{false};
  std::atomic<double> floor_s_{0.0};
};

}  // namespace twincert::harness
