// Sends a replay plan to a target with a pacing, and reports what it did.
//
// Pacing: `realtime` sends each frame at its time against absolute deadlines on the monotonic
// clock (sleep, then spin the last 200 µs), so errors never accumulate over a long voyage;
// `xN` does the same N times faster; `max` sends back to back, batched (UDP 64 datagrams per
// sendmmsg, TCP in 64 KiB writes; without flow control; send times are then the batch's);
// `virtual` keeps only the order (for twins that take time from the stream), at most `factor`
// frames per second (default
// 20000) so that a receiver behind a UDP socket keeps up — UDP has no flow control; over a TCP
// target `max` is lossless. A pty also never sends faster than its baud rate allows
// (10 bits per byte). The actual send time of every frame is recorded; lateness against the
// deadline gives the pacing error. Not thread-safe; one replay per call.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "twincert/harness/replay_plan.hpp"
#include "twincert/harness/stream_clock.hpp"
#include "twincert/harness/target.hpp"

namespace twincert::harness {

enum class PacingMode : std::uint8_t { kRealtime, kScaled, kMax, kVirtual };

inline constexpr double kDefaultVirtualRateHz = 20000.0;

struct Pacing {
  PacingMode mode = PacingMode::kRealtime;
  double factor = 1.0;  // kScaled: speed-up; kVirtual: frames per second
};
// "realtime", "x10" / "10x", "max", "virtual", "virtual:50000"; throws ConfigError.
Pacing parse_pacing(std::string_view text);

// Credit from the receiver (virtual and max pacing): a UDP receiver that falls behind loses
// datagrams, and at virtual pace a 15 ms stall of the twin is seconds of its stream. With flow
// control the replay keeps at most `window` frames beyond what the receiver says it has taken,
// asking it every `every` frames; when the count stops moving for `stall` (a hung twin, frames
// it does not count) flow control gives up for the rest of the replay.
struct FlowControl {
  std::function<std::optional<double>()> taken;  // frames taken so far; nullopt: cannot tell
  std::size_t window = 256;
  std::size_t every = 32;
  std::chrono::milliseconds stall{300};
};

struct ReplayOptions {
  Pacing pacing;
  std::chrono::milliseconds connect_timeout{10000};  // tcp:// connect, tcp-listen:// accept
  // Called now and then with frames sent so far (for progress display).
  std::function<void(std::size_t sent, std::size_t total)> progress;
  // Called once a pty exists, with the path of its slave side (a twin opens that).
  std::function<void(const std::string& path)> on_pty_ready;
  // When set and true, the replay stops before its next frame (a case that ran out of time).
  const std::atomic<bool>* cancel = nullptr;
  // When set, follows the stream's time as the replay goes (observers stamp arrivals with it);
  // begun before the first frame and ended after the last.
  StreamClock* stream_clock = nullptr;
  std::optional<FlowControl> flow;  // virtual and max pacing only
  // Virtual pacing only: called, and waited for, before the first frame at or past each multiple
  // of `sample_every_s` of stream time (observers poll the twin in step with its stream, not
  // every so many milliseconds of wall time, which are seconds of stream at virtual pace). The
  // time it takes is not made up afterwards: the schedule moves on by as much. Returning false
  // ends the sampling for the rest of the replay (a twin that does not answer its observers
  // would make every pause as long as their deadlines).
  std::function<bool()> on_sample;
  double sample_every_s = 1.0;
};

struct LatenessStats {
  double p50_us = 0.0;
  double p99_us = 0.0;
  double max_us = 0.0;
};

struct ReplayReport {
  std::size_t frames = 0;
  std::size_t bytes = 0;
  std::size_t send_errors = 0;
  std::size_t unrouted = 0;    // frames no route took (not sent)
  bool cancelled = false;      // stopped early by ReplayOptions::cancel
  std::size_t flow_waits = 0;  // times the replay waited for the receiver (flow control)
  bool flow_gave_up = false;   // the receiver's count stopped moving
  double duration_s = 0.0;
  std::vector<double> sent_at_s;  // actual send time of each frame from the start
  LatenessStats lateness;         // against the deadlines (paced modes)
};

// Where a share of the frames goes (a twin with one input per channel): frames whose source
// matches one of `sources` — a system function ID such as "AI0001", or a prefix and '*' such as
// "AI*" — or, with no sources, every frame an earlier route did not take.
struct Route {
  std::vector<std::string> sources;
  Target target;
};

// True when `source` is taken by a route with these `sources` patterns.
bool route_takes(const std::vector<std::string>& sources, std::string_view source);

// Throws ConfigError when a target cannot be opened (connection refused, no
// peer within the timeout, a path that cannot be written).
ReplayReport replay(const std::vector<Frame>& frames, const Target& target,
                    const ReplayOptions& options);
// The frames in one order over several targets: the pacing holds across all of them, so a
// twin that takes its time from the stream sees its channels advance together.
ReplayReport replay(const std::vector<Frame>& frames, const std::vector<Route>& routes,
                    const ReplayOptions& options);

LatenessStats lateness_of(std::vector<double> lateness_us);

}  // namespace twincert::harness
