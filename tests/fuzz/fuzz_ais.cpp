// AIS: de-armour and decode arbitrary payloads; a decoded message re-encoded and decoded again
// is the same message. Then feed the input as VDM lines through the fragment assembler, whose
// memory must stay bounded.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "twincert/protocols/ais/assembler.hpp"
#include "twincert/protocols/ais/messages.hpp"
#include "twincert/protocols/nmea0183/sentence.hpp"

#include "fuzz_check.hpp"

namespace ais = twincert::ais;
using twincert::nmea0183::Mode;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const int fill = data[0] % 7;  // 6 is out of range on purpose
  const std::string_view payload(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (const auto message = ais::decode_payload(payload, fill)) {
    const auto bits = ais::encode_message(*message);
    const auto again = ais::decode_message(bits);
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(*again == *message);
  }

  // The same bytes as a stream of VDM sentences, one per line.
  ais::FragmentAssembler assembler;
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  while (!rest.empty()) {
    const auto nl = rest.find('\n');
    const std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
    const auto sentence = twincert::nmea0183::parse_sentence(line, Mode::kLenient);
    if (!sentence) continue;
    const auto fragment = ais::fragment_of(*sentence);
    if (!fragment) continue;
    const auto outcome = assembler.add(*fragment);
    if (outcome.message) FUZZ_CHECK(outcome.message->payload.size() <= ais::kMaxPayloadChars);
    FUZZ_CHECK(assembler.pending() <= 22);
  }
  return 0;
}
