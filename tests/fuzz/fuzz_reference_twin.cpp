// The reference twin's whole input path (450 datagram or bare lines, then line check,
// attribution, typed decoding, AIS assembly, state, health and alerts) on arbitrary bytes, in
// both clock modes: it must neither crash nor produce JSON views that cannot be written out.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "twin.hpp"

using twincert::reference_twin::ClockMode;
using twincert::reference_twin::Twin;
using twincert::reference_twin::TwinConfig;

namespace {

void exercise(ClockMode clock, std::string_view input) {
  TwinConfig config;
  config.clock = clock;
  Twin twin(config);
  constexpr double kWall = 1.75e9;
  // First as one UDP payload, then as the lines of a stream, a second later.
  twin.on_datagram(input, kWall);
  std::string_view rest = input;
  while (!rest.empty()) {
    const auto end = rest.find('\n');
    twin.on_line(rest.substr(0, end), kWall + 1.0);
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  twin.advance(kWall + 120.0);
  for (const auto& view : {twin.state_json(kWall + 120.0), twin.health_json(kWall + 120.0),
                           twin.alerts_json(kWall + 120.0), twin.targets_json(kWall + 120.0),
                           twin.metrics_json(kWall + 120.0)}) {
    FUZZ_CHECK(!view.dump().empty());
  }
  for (const auto& datagram : twin.take_outgoing()) FUZZ_CHECK(datagram.starts_with("UdPbC"));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  exercise(ClockMode::kWall, input);
  exercise(ClockMode::kStream, input);
  return 0;
}
