#include "twincert/protocols/iec61162_450/datagram.hpp"

namespace twincert::iec61162_450 {

using nmea0183::breach;

bool is_system_function_id(std::string_view sfi) noexcept {
  if (sfi.size() != 6) return false;
  for (std::size_t i = 0; i < 2; ++i) {
    if (sfi[i] < 'A' || sfi[i] > 'Z') return false;
  }
  for (std::size_t i = 2; i < 6; ++i) {
    if (sfi[i] < '0' || sfi[i] > '9') return false;
  }
  return sfi.substr(2) != "0000";
}

namespace {

// One line of a datagram at byte `pos`: tag block (mandatory, with s: and n:), sentence, CR LF.
// Error offsets are relative to the datagram.
Result<nmea0183::TaggedSentence> parse_line(std::string_view line, std::size_t pos, Mode mode,
                                            Violations* v) noexcept {
  if (line.empty() || line[0] != '\\') {
    if (auto e = breach(mode, v, make_error(ErrorCode::kMissingTagBlock, pos))) return *e;
  }
  auto tagged = nmea0183::parse_tagged_sentence(line, mode);
  if (!tagged) {
    ParseError e = tagged.error();
    e.offset += static_cast<std::uint32_t>(pos);
    return e;
  }
  if (!line.ends_with("\r\n")) {
    if (auto e = breach(mode, v, make_error(ErrorCode::kMissingTerminator, pos + line.size()))) {
      return *e;
    }
  }
  if (tagged->tag) {
    const nmea0183::TagBlock& tag = *tagged->tag;
    if (!tag.source || !is_system_function_id(*tag.source)) {
      if (auto e = breach(mode, v, make_error(ErrorCode::kBadSourceId, pos + 1))) return *e;
    }
    if (!tag.line_count || *tag.line_count < 1 || *tag.line_count > kMaxLineCount) {
      if (auto e = breach(mode, v, make_error(ErrorCode::kBadLineCount, pos + 1))) return *e;
    }
  }
  return tagged;
}

}  // namespace

Result<Datagram> parse_datagram(std::string_view bytes, Mode mode) noexcept {
  Datagram out;
  Violations* const v = &out.violations;
  if (bytes.empty()) return make_error(ErrorCode::kEmpty, 0);
  if (!bytes.starts_with(kSentenceToken)) {
    const bool binary =
        bytes.starts_with(kBinaryFileToken) || bytes.starts_with(kRetransmittableFileToken);
    return make_error(ErrorCode::kBad450Header, 0, 0,
                      binary ? "binary file transfer datagram" : "no UdPbC header");
  }
  if (bytes.size() > kMaxUdpPayload) {
    return make_error(ErrorCode::kDatagramTooLarge, kMaxDatagramSize);
  }
  if (bytes.size() > kMaxDatagramSize) {
    if (auto e = breach(mode, v, make_error(ErrorCode::kDatagramTooLarge, kMaxDatagramSize))) {
      return *e;
    }
  }

  std::size_t pos = kSentenceToken.size();
  if (pos == bytes.size()) return make_error(ErrorCode::kEmpty, pos, 0, "no sentence after header");
  while (pos < bytes.size()) {
    const auto lf = bytes.find('\n', pos);
    const std::size_t end = lf == std::string_view::npos ? bytes.size() : lf + 1;
    const std::string_view line = bytes.substr(pos, end - pos);
    auto tagged = parse_line(line, pos, mode, v);
    if (!tagged) return tagged.error();
    v->merge(tagged->sentence.violations());
    out.lines.push_back(std::move(*tagged));
    pos = end;
  }
  return out;
}

std::string encode_datagram(std::span<const DatagramLine> lines) {
  std::string out{kSentenceToken};
  for (const DatagramLine& line : lines) {
    nmea0183::append_tag_block(line.tag, out);
    out += line.sentence;
    if (!line.sentence.ends_with("\r\n")) out += "\r\n";
  }
  return out;
}

}  // namespace twincert::iec61162_450
