// Round-trip properties of tag blocks, IEC 61162-450 datagrams and AIS messages, and the
// framer's independence from how the stream is cut into chunks.
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "twincert/protocols/ais/assembler.hpp"
#include "twincert/protocols/ais/messages.hpp"
#include "twincert/protocols/iec61162_450/datagram.hpp"
#include "twincert/protocols/nmea0183/framer.hpp"
#include "twincert/protocols/nmea0183/sentences/gga.hpp"
#include "twincert/protocols/nmea0183/sentences/hdt.hpp"
#include "twincert/protocols/nmea0183/tag_block.hpp"
#include "twincert/testing/generators.hpp"

#include <rapidcheck.h>

namespace twincert {
namespace {

using nmea0183::Mode;

RC_GTEST_PROP(TagBlockCodec, FormatThenParseIsIdentity, ()) {
  const nmea0183::TagBlock tag = testing::gen_tag_block();
  const std::string text = nmea0183::format_tag_block(tag);
  std::size_t consumed = 0;
  const auto back = nmea0183::parse_tag_block(text + "$", Mode::kLenient, nullptr, &consumed);
  RC_ASSERT(back.has_value());
  RC_ASSERT(*back == tag);
  RC_ASSERT(consumed == text.size());
}

RC_GTEST_PROP(TagBlockCodec, StamperWritesWhatFormatWrites, ()) {
  // A stream of lines whose c:, r: and s: sometimes repeat, as a generator's do.
  nmea0183::TagBlockStamper stamper;
  const auto lines = *rc::gen::inRange(1, 40);
  nmea0183::TagBlock tag;
  for (int i = 0; i < lines; ++i) {
    if (!tag.unix_time || *rc::gen::arbitrary<bool>()) {
      tag.unix_time = *rc::gen::arbitrary<std::int64_t>();
    }
    if (!tag.relative_time || *rc::gen::arbitrary<bool>()) {
      tag.relative_time = *rc::gen::arbitrary<std::int64_t>();
    }
    if (!tag.source || *rc::gen::arbitrary<bool>()) {
      tag.source = *rc::gen::element<std::string>("GP0001", "HE0001", "AI0001", "");
    }
    tag.line_count = *rc::gen::arbitrary<std::int64_t>();
    std::string out = "kept";
    stamper.append(*tag.unix_time, *tag.line_count, *tag.relative_time, *tag.source, out);
    RC_ASSERT(out == "kept" + nmea0183::format_tag_block(tag));
  }
}

RC_GTEST_PROP(DatagramCodec, EncodeThenParseKeepsEveryLine, ()) {
  const auto count = *rc::gen::inRange(1, 8);
  std::vector<iec61162_450::DatagramLine> lines;
  std::int64_t n = *rc::gen::inRange<std::int64_t>(1, 1000);
  for (int i = 0; i < count; ++i) {
    nmea0183::TagBlock tag;
    tag.source = "GP" + std::to_string(*rc::gen::inRange(1000, 10000));
    tag.line_count = n;
    n = iec61162_450::next_line_count(n);
    if (*rc::gen::arbitrary<bool>()) tag.unix_time = *rc::gen::inRange<std::int64_t>(0, 2000000000);
    lines.push_back({tag, nmea0183::encode(testing::gen_sentence<nmea0183::Hdt>(), "HE")});
  }
  const std::string bytes = iec61162_450::encode_datagram(lines);
  const auto parsed = iec61162_450::parse_datagram(bytes, Mode::kLenient);
  RC_ASSERT(parsed.has_value());
  RC_ASSERT(parsed->lines.size() == lines.size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    RC_ASSERT(parsed->lines[i].tag == std::optional(lines[i].tag));
    RC_ASSERT(std::string(parsed->lines[i].sentence.body()) + "*" ==
              lines[i].sentence.substr(0, lines[i].sentence.find('*') + 1));
  }
}

template <class M>
void check_ais_round_trip() {
  const M message = testing::gen_ais_message<M>();
  const auto bits = ais::encode_message(message);
  RC_ASSERT(bits.size() == M::kBits);
  const auto [payload, fill] = ais::armor(bits);
  const auto back = ais::decode_payload(payload, fill);
  RC_ASSERT(back.has_value());
  RC_ASSERT(std::get<M>(*back) == message);
}

RC_GTEST_PROP(AisCodec, EncodeThenDecodeIsIdentityForEveryType, ()) {
  check_ais_round_trip<ais::PositionReportClassA>();
  check_ais_round_trip<ais::StaticAndVoyageData>();
  check_ais_round_trip<ais::ClassBPositionReport>();
  check_ais_round_trip<ais::ExtendedClassBPositionReport>();
  check_ais_round_trip<ais::StaticDataReportA>();
  check_ais_round_trip<ais::StaticDataReportB>();
}

RC_GTEST_PROP(AisCodec, BitsPutAreTheBitsGot, ()) {
  // Fields of any width at any bit offset, as the message encoders write them.
  const auto fields = *rc::gen::container<std::vector<std::pair<std::uint64_t, unsigned>>>(
      rc::gen::pair(rc::gen::arbitrary<std::uint64_t>(), rc::gen::inRange(1U, 65U)));
  ais::BitBuffer bits;
  for (const auto& [value, width] : fields) bits.put(value, width);
  std::size_t position = 0;
  for (const auto& [value, width] : fields) {
    const std::uint64_t low = width == 64 ? value : value & ((std::uint64_t{1} << width) - 1U);
    RC_ASSERT(bits.get(position, width) == low);
    position += width;
  }
  RC_ASSERT(bits.size() == position);
  RC_ASSERT(bits.get(position, 8) == 0U);  // nothing set past the end
}

RC_GTEST_PROP(AisCodec, FragmentsReassembleToThePayload, ()) {
  const auto message = testing::gen_ais_message<ais::StaticAndVoyageData>();
  const auto [payload, fill] = ais::armor(ais::encode_message(message));
  const auto per_fragment = *rc::gen::inRange<std::size_t>(10, 61);
  const std::size_t total = (payload.size() + per_fragment - 1) / per_fragment;
  RC_PRE(total <= 9);
  const int sequence = *rc::gen::inRange(0, 10);
  ais::FragmentAssembler assembler;
  std::vector<std::string> sentences;  // kept alive: fragments view into them
  std::optional<ais::AssembledPayload> assembled;
  for (std::size_t i = 0; i < total; ++i) {
    const bool last = i + 1 == total;
    nmea0183::SentenceWriter w("AIVDM", '!');
    w.field(std::to_string(total)).field(std::to_string(i + 1)).field(std::to_string(sequence));
    w.field("B")
        .field(payload.substr(i * per_fragment, per_fragment))
        .field(std::to_string(last ? fill : 0));
    sentences.push_back(std::move(w).finish());
    const auto raw = nmea0183::parse_sentence(sentences.back(), Mode::kStrict);
    RC_ASSERT(raw.has_value());
    const auto fragment = ais::fragment_of(*raw);
    RC_ASSERT(fragment.has_value());
    auto outcome = assembler.add(*fragment);
    RC_ASSERT(!outcome.problem.has_value());
    RC_ASSERT(outcome.message.has_value() == last);
    if (last) assembled = outcome.message;
  }
  RC_ASSERT(assembled->payload == payload);
  const auto back = ais::decode_payload(assembled->payload, assembled->fill_bits);
  RC_ASSERT(back.has_value());
  RC_ASSERT(std::get<ais::StaticAndVoyageData>(*back) == message);
}

struct FramedStream {
  std::vector<std::string> frames;
  std::vector<std::string> drops;
  friend bool operator==(const FramedStream&, const FramedStream&) = default;
};

class Sink final : public nmea0183::ErrorSink {
 public:
  explicit Sink(std::vector<std::string>& out) : out_(out) {}
  void on_dropped(std::size_t n, const ParseError& e) override {
    out_.push_back(std::to_string(n) + std::string(describe(e.code)) + std::to_string(e.offset));
  }

 private:
  std::vector<std::string>& out_;
};

FramedStream frame(std::string_view input, const std::vector<std::size_t>& cuts) {
  FramedStream out;
  Sink sink(out.drops);
  nmea0183::Framer framer(&sink);
  std::size_t pos = 0;
  for (std::size_t i = 0; pos < input.size(); ++i) {
    const std::size_t n = cuts.empty() ? input.size() : cuts[i % cuts.size()];
    std::string_view piece = input.substr(pos, n);
    pos += piece.size();
    while (!piece.empty()) {
      const auto r = framer.feed(piece);
      piece.remove_prefix(r.consumed);
      if (r.status == nmea0183::FrameStatus::kComplete) out.frames.emplace_back(framer.frame());
    }
  }
  if (framer.finish()) out.frames.emplace_back(framer.frame());
  return out;
}

// A stream of valid sentences (some with tag blocks) interleaved with the damage real lines
// carry: garbage, binary bytes, truncation, comments, bare CR or LF, over-long lines.
std::string gen_stream(std::size_t* valid_sentences) {
  std::string s;
  const auto pieces = *rc::gen::inRange(1, 30);
  for (int i = 0; i < pieces; ++i) {
    switch (*rc::gen::inRange(0, 8)) {
      case 0:
      case 1:
      case 2: {
        std::string line = nmea0183::encode(testing::gen_sentence<nmea0183::Gga>(), "GP");
        if (*rc::gen::arbitrary<bool>())
          line = nmea0183::format_tag_block(testing::gen_tag_block()) + line;
        s += line;
        ++*valid_sentences;
        break;
      }
      case 3:
        s += *rc::gen::container<std::string>(rc::gen::arbitrary<char>());
        s += "\n";
        break;
      case 4:
        s += "# comment line\r\n";
        break;
      case 5:
        s += "$GPGGA,1234";  // cut short by what follows
        break;
      case 6:
        s += std::string(*rc::gen::inRange<std::size_t>(500, 700), 'A') + "\r\n";
        break;
      default:
        s += *rc::gen::elementOf(std::vector<std::string>{"\r", "\n", "\r\n", "*", "\\", "!"});
    }
  }
  return s;
}

RC_GTEST_PROP(FramerProperty, AnyChunkingGivesTheSameFramesAndDrops, ()) {
  std::size_t valid = 0;
  const std::string stream = gen_stream(&valid);
  const auto cuts = *rc::gen::nonEmpty(
      rc::gen::container<std::vector<std::size_t>>(rc::gen::inRange<std::size_t>(1, 40)));
  RC_ASSERT(frame(stream, {}) == frame(stream, cuts));
  RC_ASSERT(frame(stream, {}) == frame(stream, {1}));
}

RC_GTEST_PROP(FramerProperty, NeverLosesAValidSentenceThatStartsALine, ()) {
  // Every valid sentence written at the start of a line comes out parseable.
  std::vector<std::string> lines;
  std::string stream;
  const auto n = *rc::gen::inRange(1, 20);
  for (int i = 0; i < n; ++i) {
    lines.push_back(nmea0183::encode(testing::gen_sentence<nmea0183::Hdt>(), "HE"));
    stream +=
        *rc::gen::elementOf(std::vector<std::string>{"", "garbage\n", "\x01\x02\xff\n", "# c\n"});
    stream += lines.back();
  }
  const auto framed = frame(stream, {*rc::gen::inRange<std::size_t>(1, 100)});
  std::size_t good = 0;
  for (const auto& f : framed.frames)
    good += nmea0183::parse_sentence(f, Mode::kStrict).has_value() ? 1U : 0U;
  RC_ASSERT(good == lines.size());
}

}  // namespace
}  // namespace twincert
