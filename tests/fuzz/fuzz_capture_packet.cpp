// Captured packets (replay input from pcap files): any bytes under any supported link type give
// a UDP payload that lies within the packet, or an error whose offset lies within it.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>

#include "twincert/harness/capture.hpp"

#include "fuzz_check.hpp"

using twincert::harness::PacketError;
using twincert::harness::udp_of_packet;
using twincert::harness::UdpPacket;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view packet(reinterpret_cast<const char*>(data), size);
  for (const int link : {twincert::harness::kLinkEthernet, twincert::harness::kLinkLinuxSll,
                         twincert::harness::kLinkRaw, 12, 228, 0}) {
    const auto r = udp_of_packet(packet, link);
    if (const auto* u = std::get_if<UdpPacket>(&r)) {
      FUZZ_CHECK(u->payload.data() >= packet.data());
      FUZZ_CHECK(u->payload.data() + u->payload.size() <= packet.data() + packet.size());
    } else {
      const auto& e = std::get<PacketError>(r);
      FUZZ_CHECK(e.offset <= packet.size());
      FUZZ_CHECK(!e.reason.empty());
    }
  }
  return 0;
}
