// A twin's server-sent events as the observer splits them (harness/event_stream.hpp): fed whole
// and in pieces of every size the first byte chooses, the parser gives the same events, never
// one over its cap, and stops at the same point when the cap is passed.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "twincert/harness/event_stream.hpp"

#include "fuzz_check.hpp"

namespace {

#ifdef TWINCERT_FUZZING
constexpr std::size_t kCap = 64;  // small, so the fuzzer reaches the over-long paths
#else
constexpr std::size_t kCap = 4096;
#endif

struct Seen {
  std::vector<std::string> events;
  bool within_cap = true;
};

Seen parse(std::string_view bytes, std::size_t piece) {
  twincert::harness::EventStreamParser parser(kCap);
  Seen seen;
  for (std::size_t at = 0; at < bytes.size() && seen.within_cap; at += piece) {
    seen.within_cap = parser.feed(bytes.substr(at, piece), [&](std::string_view event) {
      FUZZ_CHECK(event.size() <= kCap);
      seen.events.emplace_back(event);
    });
  }
  return seen;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t piece = 1 + data[0] % 16;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);  // NOLINT
  const Seen whole = parse(bytes, bytes.size() + 1);
  const Seen pieces = parse(bytes, piece);
  FUZZ_CHECK(whole.within_cap == pieces.within_cap);
  if (whole.within_cap) FUZZ_CHECK(whole.events == pieces.events);
  return 0;
}
