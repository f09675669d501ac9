#include "twincert/protocols/ais/assembler.hpp"

#include <charconv>
#include <system_error>

namespace twincert::ais {

namespace {

std::optional<int> small_int(std::string_view text) noexcept {
  int v = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (text.empty() || ec != std::errc{} || ptr != end) return std::nullopt;
  return v;
}

}  // namespace

Result<Fragment> fragment_of(const nmea0183::RawSentence& sentence) noexcept {
  Fragment f;
  const std::string_view formatter = sentence.formatter();
  if (sentence.start() != '!' || (formatter != "VDM" && formatter != "VDO")) {
    return make_error(ErrorCode::kBadAddress, 1, 0, "not a VDM/VDO sentence");
  }
  f.own_ship = formatter == "VDO";
  const auto bad = [&](std::size_t field, ErrorCode code, const char* what) {
    return make_error(code, sentence.field_offset(field), field, what);
  };
  const auto total = small_int(sentence.field(1));
  if (!total || *total < 1 || *total > 9) {
    return bad(1, ErrorCode::kFieldOutOfRange, "fragment count");
  }
  const auto number = small_int(sentence.field(2));
  if (!number || *number < 1 || *number > *total) {
    return bad(2, ErrorCode::kFieldOutOfRange, "fragment number");
  }
  f.total = *total;
  f.number = *number;
  if (!sentence.field(3).empty()) {
    const auto id = small_int(sentence.field(3));
    if (!id || *id < 0 || *id > 9) return bad(3, ErrorCode::kFieldOutOfRange, "sequential id");
    f.sequential_id = id;
  }
  const std::string_view channel = sentence.field(4);
  if (channel.size() > 1) return bad(4, ErrorCode::kBadFieldFormat, "channel");
  if (!channel.empty()) f.channel = channel[0];
  f.payload = sentence.field(5);
  const auto fill =
      sentence.field(6).empty() ? std::optional<int>{0} : small_int(sentence.field(6));
  if (!fill || *fill < 0 || *fill > 5) return bad(6, ErrorCode::kBadFillBits, "fill bits");
  f.fill_bits = *fill;
  return f;
}

std::size_t FragmentAssembler::pending() const noexcept {
  std::size_t n = 0;
  for (const Slot& s : slots_) n += s.busy ? 1U : 0U;
  return n;
}

FragmentAssembler::Outcome FragmentAssembler::add(const Fragment& fragment) {
  Outcome out;
  if (fragment.total == 1) {
    out.message = AssembledPayload{fragment.own_ship, fragment.channel,
                                   std::string(fragment.payload), fragment.fill_bits, 1};
    return out;
  }
  const std::size_t id =
      fragment.sequential_id ? static_cast<std::size_t>(*fragment.sequential_id) : kIdSlots - 1;
  Slot& slot = slots_[(fragment.own_ship ? kIdSlots : 0) + id];

  if (fragment.number == 1) {
    if (slot.busy) {
      out.problem = make_error(ErrorCode::kFragmentMissing, 0, 0,
                               "message abandoned: a new one started with the same sequential id");
    }
    slot.busy = true;
    slot.total = fragment.total;
    slot.next = 2;
    slot.channel = fragment.channel;
    slot.payload.assign(fragment.payload);
    return out;
  }

  if (!slot.busy || fragment.number != slot.next) {
    out.problem = make_error(ErrorCode::kFragmentOutOfOrder, 0, 2, "fragment not the one expected");
    slot.busy = false;
    return out;
  }
  if (fragment.total != slot.total || fragment.channel != slot.channel) {
    out.problem = make_error(ErrorCode::kFragmentMismatch, 0, 1,
                             "fragment count or channel differs from the first fragment");
    slot.busy = false;
    return out;
  }
  if (slot.payload.size() + fragment.payload.size() > kMaxPayloadChars) {
    out.problem = make_error(ErrorCode::kTooLong, 0, 5, "assembled payload");
    slot.busy = false;
    return out;
  }
  slot.payload.append(fragment.payload);
  if (fragment.number < slot.total) {
    ++slot.next;
    return out;
  }
  slot.busy = false;
  out.message = AssembledPayload{fragment.own_ship, slot.channel, std::move(slot.payload),
                                 fragment.fill_bits, slot.total};
  slot.payload.clear();
  return out;
}

}  // namespace twincert::ais
