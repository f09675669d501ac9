#include "twincert/harness/replay.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <thread>

#include "twincert/base/config_error.hpp"

#include "sinks.hpp"

namespace twincert::harness {

namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kSpin = std::chrono::microseconds(200);  // spin this close to a deadline
constexpr auto kLead = std::chrono::milliseconds(2);    // the first deadline, after set-up

// Waits until `deadline`: sleep most of the way (cheap), spin the rest (precise).
void wait_until(Clock::time_point deadline) {
  if (deadline - Clock::now() > kSpin) std::this_thread::sleep_until(deadline - kSpin);
  while (Clock::now() < deadline) {
  }
}

double seconds_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// Keeps the frames in flight within the receiver's window (see FlowControl).
class Credit {
 public:
  Credit(const std::optional<FlowControl>& flow, PacingMode mode)
      : flow_(flow && (mode == PacingMode::kVirtual || mode == PacingMode::kMax) ? &*flow
                                                                                 : nullptr) {
    if (flow_ == nullptr) return;
    const auto now = flow_->taken();
    if (!now) {
      flow_ = nullptr;  // the receiver cannot tell: no flow control
      return;
    }
    baseline_ = seen_ = *now;
  }

  // Before sending frame number `sent` (0-based).
  void before(std::size_t sent, ReplayReport& report) {
    if (flow_ == nullptr || sent % flow_->every != 0 || !too_many(sent)) return;
    ++report.flow_waits;
    auto progress_at = Clock::now();
    while (too_many(sent)) {
      const auto now = flow_->taken();
      if (now && *now > seen_) {
        seen_ = *now;
        progress_at = Clock::now();
        continue;
      }
      if (Clock::now() - progress_at > flow_->stall) {
        report.flow_gave_up = true;
        flow_ = nullptr;
        return;
      }
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
  }

  // Waits until the receiver has taken every frame sent (`sent` of them), or its count has not
  // moved for a moment (frames it does not count): before a sampling point, so that what the
  // observers see there is the twin's state at that point of the stream.
  void drain(std::size_t sent) {
    if (flow_ == nullptr) return;
    auto progress_at = Clock::now();
    while (static_cast<double>(sent) > seen_ - baseline_) {
      const auto now = flow_->taken();
      if (now && *now > seen_) {
        seen_ = *now;
        progress_at = Clock::now();
      } else if (Clock::now() - progress_at > kDrainQuiet) {
        return;
      } else {
        std::this_thread::sleep_for(std::chrono::microseconds(200));
      }
    }
  }

 private:
  static constexpr auto kDrainQuiet = std::chrono::milliseconds(20);

  bool too_many(std::size_t sent) const {
    return static_cast<double>(sent) - (seen_ - baseline_) > static_cast<double>(flow_->window);
  }

  const FlowControl* flow_;
  double baseline_ = 0.0;
  double seen_ = 0.0;
};

// Pauses a virtual replay at each sampling point (ReplayOptions::on_sample).
class Sampler {
 public:
  Sampler(const ReplayOptions& options, double first_at)
      : on_sample_(options.pacing.mode == PacingMode::kVirtual && options.on_sample &&
                           options.sample_every_s > 0.0
                       ? &options.on_sample
                       : nullptr),
        every_(options.sample_every_s),
        next_(on_sample_ != nullptr ? (std::floor(first_at / every_) + 1.0) * every_ : 0.0) {}

  // Before the frame at `at_s`, `sent` frames sent so far: at a sampling point, lets the receiver
  // take them all and samples; returns how long that took.
  Clock::duration before(double at_s, Credit& credit, std::size_t sent) {
    if (on_sample_ == nullptr || at_s < next_) return {};
    const auto began = Clock::now();
    credit.drain(sent);
    if (!(*on_sample_)()) on_sample_ = nullptr;
    next_ = (std::floor(at_s / every_) + 1.0) * every_;
    return Clock::now() - began;
  }

 private:
  const std::function<bool()>* on_sample_;
  double every_;
  double next_;
};

}  // namespace

Pacing parse_pacing(std::string_view text) {
  if (text == "realtime") return {PacingMode::kRealtime, 1.0};
  if (text == "max") return {PacingMode::kMax, 1.0};
  if (text == "virtual") return {PacingMode::kVirtual, kDefaultVirtualRateHz};
  if (text.starts_with("virtual:")) {
    const std::string_view rate = text.substr(8);
    double hz = 0.0;
    const auto [end, ec] = std::from_chars(rate.data(), rate.data() + rate.size(), hz);
    if (ec != std::errc{} || end != rate.data() + rate.size() || !(hz > 0.0) ||
        !std::isfinite(hz)) {
      throw ConfigError("pacing \"" + std::string(text) +
                        "\": expected virtual:FRAMES_PER_SECOND, e.g. virtual:50000");
    }
    return {PacingMode::kVirtual, hz};
  }
  std::string_view number = text;
  if (number.starts_with('x')) {
    number.remove_prefix(1);
  } else if (number.ends_with('x')) {
    number.remove_suffix(1);
  }
  double factor = 0.0;
  const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), factor);
  if (number.size() == text.size() || ec != std::errc{} || end != number.data() + number.size() ||
      !(factor > 0.0) || !std::isfinite(factor)) {
    throw ConfigError(
        "pacing \"" + std::string(text) +
        "\": expected realtime, xN (e.g. x10), max, virtual or virtual:FRAMES_PER_SECOND");
  }
  return {PacingMode::kScaled, factor};
}

LatenessStats lateness_of(std::vector<double> lateness_us) {
  LatenessStats s;
  if (lateness_us.empty()) return s;
  std::sort(lateness_us.begin(), lateness_us.end());
  const auto at = [&](double p) {
    const auto i =
        static_cast<std::size_t>(std::ceil(p * static_cast<double>(lateness_us.size()))) - 1;
    return lateness_us[std::min(i, lateness_us.size() - 1)];
  };
  s.p50_us = at(0.50);
  s.p99_us = at(0.99);
  s.max_us = lateness_us.back();
  return s;
}

bool route_takes(const std::vector<std::string>& sources, std::string_view source) {
  if (sources.empty()) return true;
  return std::any_of(sources.begin(), sources.end(), [source](const std::string& pattern) {
    if (pattern.ends_with('*')) {
      return source.starts_with(std::string_view(pattern).substr(0, pattern.size() - 1));
    }
    return source == pattern;
  });
}

ReplayReport replay(const std::vector<Frame>& frames, const Target& target,
                    const ReplayOptions& options) {
  return replay(frames, std::vector<Route>{{{}, target}}, options);
}

ReplayReport replay(const std::vector<Frame>& frames, const std::vector<Route>& routes,
                    const ReplayOptions& options) {
  // One sink, wire clock and 450 line numbering per route.
  struct Channel {
    std::unique_ptr<Sink> sink;
    WireFormat format = WireFormat::kLines;
    std::map<std::string, std::int64_t> line_counts;
    Clock::time_point wire_free;  // a serial line is busy until here
  };
  std::vector<Channel> channels;
  channels.reserve(routes.size());
  for (const Route& route : routes) {
    channels.push_back({open_sink(route.target, options), route.target.format, {}, {}});
  }
  std::map<std::string, std::size_t, std::less<>> channel_of_source;  // routes.size(): none
  const auto channel_of = [&](const std::string& source) {
    auto it = channel_of_source.find(source);
    if (it == channel_of_source.end()) {
      std::size_t c = 0;
      while (c < routes.size() && !route_takes(routes[c].sources, source)) ++c;
      it = channel_of_source.emplace(source, c).first;
    }
    return it->second;
  };
  ReplayReport report;
  report.sent_at_s.reserve(frames.size());
  std::vector<double> lateness_us;
  const bool paced =
      options.pacing.mode == PacingMode::kRealtime || options.pacing.mode == PacingMode::kScaled;
  if (paced) lateness_us.reserve(frames.size());
  const double factor = options.pacing.mode == PacingMode::kScaled ? options.pacing.factor : 1.0;
  const double first_at = frames.empty() ? 0.0 : frames.front().at_s;
  Credit credit(options.flow, options.pacing.mode);
  Sampler sampler(options, first_at);
  Clock::duration paused{};  // in sampling
  const Clock::time_point start = Clock::now() + kLead;
  StreamClock own_clock;  // when the caller follows none: a few stores per frame, no branches
  StreamClock& stream_clock = options.stream_clock != nullptr ? *options.stream_clock : own_clock;
  stream_clock.begin(start, first_at, paced ? factor : 0.0);
  for (auto& channel : channels) channel.wire_free = start;
  const auto progress_every = std::max<std::size_t>(1, frames.size() / 200);
  for (std::size_t i = 0; i < frames.size(); ++i) {
    const Frame& frame = frames[i];
    if (options.cancel != nullptr && options.cancel->load(std::memory_order_relaxed)) {
      report.cancelled = true;
      break;
    }
    paused += sampler.before(frame.at_s, credit, report.frames);
    const std::size_t c = channel_of(frame.source);
    if (c == channels.size()) {
      ++report.unrouted;
      continue;
    }
    Channel& channel = channels[c];
    credit.before(report.frames, report);
    const std::string bytes = encode_frame(frame, channel.format, channel.line_counts);
    Clock::time_point deadline = Clock::now();
    if (paced) {
      deadline = start + std::chrono::duration_cast<Clock::duration>(
                             std::chrono::duration<double>((frame.at_s - first_at) / factor));
    } else if (options.pacing.mode == PacingMode::kVirtual) {
      deadline = start + paused +
                 std::chrono::duration_cast<Clock::duration>(
                     std::chrono::duration<double>(static_cast<double>(i) / options.pacing.factor));
    }
    deadline = std::max(deadline, channel.wire_free);
    stream_clock.waiting(frame.at_s, deadline);
    wait_until(deadline);
    const Clock::time_point sent = Clock::now();
    if (!channel.sink->send(bytes, frame)) ++report.send_errors;
    const double wire = channel.sink->wire_time_s(bytes.size());
    if (wire > 0.0) {
      channel.wire_free =
          std::max(channel.wire_free, sent) +
          std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(wire));
    }
    report.sent_at_s.push_back(seconds_between(start, sent));
    if (paced) lateness_us.push_back(seconds_between(deadline, sent) * 1e6);
    stream_clock.sent(frame.at_s, sent);
    report.bytes += bytes.size();
    ++report.frames;
    if (options.progress && (i + 1) % progress_every == 0) options.progress(i + 1, frames.size());
  }
  for (auto& channel : channels) {
    if (!channel.sink->finish()) ++report.send_errors;
  }
  stream_clock.end();
  report.duration_s = seconds_between(start, Clock::now());
  report.lateness = lateness_of(std::move(lateness_us));
  return report;
}

}  // namespace twincert::harness
