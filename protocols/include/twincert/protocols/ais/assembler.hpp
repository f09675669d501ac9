// Joins the fragments of multi-sentence AIS messages (!AIVDM/!AIVDO with total > 1).
//
// Fragments of one message share the sequential message ID and channel and arrive in order
// (1..total). A slot is kept per (VDM or VDO, sequential ID): at most 22 partial messages, each
// at most kMaxPayloadChars, so memory is bounded whatever arrives. Problems are reported, never
// thrown: a fragment out of order, one that disagrees with the earlier ones, or a message
// abandoned because a new one started with the same ID before it was complete. Not thread-safe;
// one assembler per stream.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "twincert/protocols/ais/sixbit.hpp"
#include "twincert/protocols/nmea0183/sentence.hpp"
#include "twincert/protocols/result.hpp"

namespace twincert::ais {

// One !--VDM / !--VDO sentence's envelope fields.
struct Fragment {
  bool own_ship = false;  // VDO
  int total = 1;
  int number = 1;
  std::optional<int> sequential_id;
  std::optional<char> channel;
  std::string_view payload;
  int fill_bits = 0;
};

// Reads the envelope of a VDM/VDO RawSentence. Errors: kBadAddress (not VDM/VDO),
// kBadFieldFormat / kFieldOutOfRange at the offending field.
Result<Fragment> fragment_of(const nmea0183::RawSentence& sentence) noexcept;

struct AssembledPayload {
  bool own_ship = false;
  std::optional<char> channel;
  std::string payload;
  int fill_bits = 0;
  int fragments = 1;
};

class FragmentAssembler {
 public:
  // What happened to one fragment.
  struct Outcome {
    std::optional<AssembledPayload> message;  // complete message, if this fragment finished one
    std::optional<ParseError> problem;        // something that had to be dropped
  };

  Outcome add(const Fragment& fragment);

  // Partial messages held right now.
  std::size_t pending() const noexcept;

 private:
  struct Slot {
    bool busy = false;
    int total = 0;
    int next = 0;
    std::optional<char> channel;
    std::string payload;
  };
  static constexpr std::size_t kIdSlots = 11;  // sequential IDs 0..9 and "none"
  std::array<Slot, 2 * kIdSlots> slots_{};
};

}  // namespace twincert::ais
