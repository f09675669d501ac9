// What the observer makes of a twin's byte stream (observe.nmea over tcp://, observe.json_lines):
// the line assembler fed the whole input at once and in chunks of every size chosen by the first
// byte gives the same lines and the same count of over-long ones, never a line over the cap;
// each line is then read as the observer reads it, as JSON with pointers and as a tagged
// sentence, which must not crash whatever it holds.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "twincert/harness/line_assembler.hpp"
#include "twincert/protocols/nmea0183/tag_block.hpp"

#include "fuzz_check.hpp"

namespace {

#ifdef TWINCERT_FUZZING
constexpr std::size_t kCap = 64;  // small, so the fuzzer reaches the over-long paths
#else
constexpr std::size_t kCap = 4096;
#endif

struct Seen {
  std::vector<std::string> lines;
  std::size_t overlong = 0;
  bool partial = false;
  bool operator==(const Seen&) const = default;
};

Seen run(std::string_view input, std::size_t chunk) {
  Seen seen;
  twincert::harness::LineAssembler assembler(kCap);
  for (std::size_t pos = 0; pos < input.size(); pos += chunk) {
    assembler.feed(input.substr(pos, chunk), [&](std::string_view line) {
      FUZZ_CHECK(line.size() <= kCap);
      FUZZ_CHECK(line.find('\n') == std::string_view::npos);
      seen.lines.emplace_back(line);
    });
  }
  seen.overlong = assembler.overlong();
  seen.partial = assembler.reset();
  FUZZ_CHECK(assembler.pending_bytes() == 0);
  return seen;
}

void read_like_the_observer(const std::string& line) {
  const nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
  if (!j.is_discarded()) {
    for (const char* pointer : {"/class", "/lat", "/0", "/a/b/1"}) {
      try {
        (void)j.at(nlohmann::json::json_pointer(pointer));
      } catch (const nlohmann::json::exception&) {
      }
    }
  }
  std::size_t consumed = 0;
  (void)twincert::nmea0183::parse_tag_block(line, twincert::nmea0183::Mode::kLenient, nullptr,
                                            &consumed);
  (void)twincert::nmea0183::parse_tagged_sentence(line + "\r\n", twincert::nmea0183::Mode::kStrict);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t chunk = 1 + data[0] % 23;
  const std::string input(reinterpret_cast<const char*>(data) + 1, size - 1);
  const Seen whole = run(input, input.size() + 1);
  FUZZ_CHECK(whole == run(input, chunk));
  for (const auto& line : whole.lines) read_like_the_observer(line);
  return 0;
}
