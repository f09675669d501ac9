// Differential fuzzer: the framer fed the whole input at once and fed in chunks of every size
// chosen by the first byte must produce the same frames and the same drop reports; every frame
// stays within kMaxFrameLength.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "twincert/protocols/nmea0183/framer.hpp"

#include "fuzz_check.hpp"

namespace {

using twincert::ParseError;
using twincert::nmea0183::ErrorSink;
using twincert::nmea0183::Framer;
using twincert::nmea0183::FrameStatus;
using twincert::nmea0183::kMaxFrameLength;

struct Record final : ErrorSink {
  std::vector<std::string> events;
  void on_dropped(std::size_t n, const ParseError& e) override {
    events.push_back("drop " + std::to_string(n) + " " + std::to_string(static_cast<int>(e.code)) +
                     " @" + std::to_string(e.offset));
  }
};

std::vector<std::string> run(std::string_view input, std::size_t chunk) {
  Record record;
  Framer framer(&record);
  const auto take = [&] {
    FUZZ_CHECK(framer.frame().size() <= kMaxFrameLength);
    record.events.push_back("frame " + std::string(framer.frame()) + " " +
                            std::to_string(static_cast<int>(framer.terminator())));
  };
  for (std::size_t pos = 0; pos < input.size(); pos += chunk) {
    std::string_view piece = input.substr(pos, chunk);
    while (!piece.empty()) {
      const auto r = framer.feed(piece);
      FUZZ_CHECK(r.consumed <= piece.size());
      piece.remove_prefix(r.consumed);
      if (r.status == FrameStatus::kComplete) take();
    }
  }
  if (framer.finish()) take();
  return record.events;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t chunk = 1 + data[0] % 17;
  const std::string input(reinterpret_cast<const char*>(data) + 1, size - 1);
  FUZZ_CHECK(run(input, input.size() + 1) == run(input, chunk));
  return 0;
}
