#include "twincert/harness/stream_clock.hpp"

#include <algorithm>

namespace twincert::harness {

namespace {

std::int64_t ns_of(StreamClock::Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

}  // namespace

// A sequence lock: the sequence is odd while a write is under way. The fields are atomics
// themselves (relaxed), so a reader that overlaps a write reads no torn value, only a mix
// that the sequence check makes it throw away.
template <class Write>
void StreamClock::write(Write&& w) {
  const std::uint64_t s = sequence_.load(std::memory_order_relaxed);
  sequence_.store(s + 1, std::memory_order_relaxed);
  std::atomic_thread_fence(std::memory_order_release);
  w();
  sequence_.store(s + 2, std::memory_order_release);
}

StreamClock::Snapshot StreamClock::read() const {
  for (;;) {
    const std::uint64_t before = sequence_.load(std::memory_order_acquire);
    Snapshot s{
        start_ns_.load(std::memory_order_relaxed),    first_at_s_.load(std::memory_order_relaxed),
        rate_.load(std::memory_order_relaxed),        last_at_s_.load(std::memory_order_relaxed),
        sent_ns_.load(std::memory_order_relaxed),     next_at_s_.load(std::memory_order_relaxed),
        next_due_ns_.load(std::memory_order_relaxed), begun_.load(std::memory_order_relaxed),
        ended_.load(std::memory_order_relaxed),       floor_s_.load(std::memory_order_relaxed)};
    std::atomic_thread_fence(std::memory_order_acquire);
    if ((before & 1U) == 0 && sequence_.load(std::memory_order_relaxed) == before) return s;
  }
}

void StreamClock::begin(Clock::time_point start, double first_at_s, double rate) {
  const std::int64_t start_ns = ns_of(start);
  write([&] {
    start_ns_.store(start_ns, std::memory_order_relaxed);
    first_at_s_.store(first_at_s, std::memory_order_relaxed);
    rate_.store(rate, std::memory_order_relaxed);
    last_at_s_.store(first_at_s, std::memory_order_relaxed);
    sent_ns_.store(start_ns, std::memory_order_relaxed);
    next_at_s_.store(first_at_s, std::memory_order_relaxed);
    next_due_ns_.store(start_ns, std::memory_order_relaxed);
    ended_.store(false, std::memory_order_relaxed);
    begun_.store(true, std::memory_order_relaxed);
  });
}

void StreamClock::waiting(double at_s, Clock::time_point due) {
  const std::int64_t due_ns = ns_of(due);
  write([&] {
    next_at_s_.store(at_s, std::memory_order_relaxed);
    next_due_ns_.store(due_ns, std::memory_order_relaxed);
  });
}

void StreamClock::sent(double at_s, Clock::time_point sent) {
  const std::int64_t sent_ns = ns_of(sent);
  write([&] {
    last_at_s_.store(at_s, std::memory_order_relaxed);
    sent_ns_.store(sent_ns, std::memory_order_relaxed);
    next_at_s_.store(at_s, std::memory_order_relaxed);
    next_due_ns_.store(sent_ns, std::memory_order_relaxed);
  });
}

void StreamClock::end() {
  write([&] { ended_.store(true, std::memory_order_relaxed); });
}

void StreamClock::settle_at(double t_s) {
  write([&] { floor_s_.store(t_s, std::memory_order_relaxed); });
}

double StreamClock::at(Clock::time_point wall) const {
  const Snapshot s = read();
  if (!s.begun) return s.floor_s;
  const std::int64_t wall_ns = ns_of(wall);
  if (s.rate > 0.0) {
    const double scheduled =
        s.first_at_s + static_cast<double>(wall_ns - s.start_ns) * 1e-9 * s.rate;
    if (s.ended) return std::max(s.last_at_s, scheduled);
    return std::clamp(scheduled, s.last_at_s, std::max(s.last_at_s, s.next_at_s));
  }
  if (s.ended) return std::max(s.last_at_s, s.floor_s);
  if (s.next_due_ns <= s.sent_ns || s.next_at_s <= s.last_at_s) return s.last_at_s;
  const double part = std::clamp(
      static_cast<double>(wall_ns - s.sent_ns) / static_cast<double>(s.next_due_ns - s.sent_ns),
      0.0, 1.0);
  return s.last_at_s + (s.next_at_s - s.last_at_s) * part;
}

}  // namespace twincert::harness
