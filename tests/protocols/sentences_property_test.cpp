// encode -> decode is the identity for every typed sentence, with values drawn inside each
// field's declared range by the same field declarations; a corrupted byte is always caught.
#include <string>
#include <tuple>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "twincert/protocols/nmea0183/registry.hpp"
#include "twincert/protocols/nmea0183/sentences/acn.hpp"
#include "twincert/protocols/nmea0183/sentences/alc.hpp"
#include "twincert/protocols/nmea0183/sentences/alf.hpp"
#include "twincert/protocols/nmea0183/sentences/alr.hpp"
#include "twincert/protocols/nmea0183/sentences/arc.hpp"
#include "twincert/protocols/nmea0183/sentences/dbt.hpp"
#include "twincert/protocols/nmea0183/sentences/dor.hpp"
#include "twincert/protocols/nmea0183/sentences/dpt.hpp"
#include "twincert/protocols/nmea0183/sentences/etl.hpp"
#include "twincert/protocols/nmea0183/sentences/fir.hpp"
#include "twincert/protocols/nmea0183/sentences/gga.hpp"
#include "twincert/protocols/nmea0183/sentences/gll.hpp"
#include "twincert/protocols/nmea0183/sentences/gns.hpp"
#include "twincert/protocols/nmea0183/sentences/gsa.hpp"
#include "twincert/protocols/nmea0183/sentences/gsv.hpp"
#include "twincert/protocols/nmea0183/sentences/hbt.hpp"
#include "twincert/protocols/nmea0183/sentences/hdg.hpp"
#include "twincert/protocols/nmea0183/sentences/hdt.hpp"
#include "twincert/protocols/nmea0183/sentences/hrm.hpp"
#include "twincert/protocols/nmea0183/sentences/mtw.hpp"
#include "twincert/protocols/nmea0183/sentences/mwd.hpp"
#include "twincert/protocols/nmea0183/sentences/mwv.hpp"
#include "twincert/protocols/nmea0183/sentences/osd.hpp"
#include "twincert/protocols/nmea0183/sentences/prc.hpp"
#include "twincert/protocols/nmea0183/sentences/rmc.hpp"
#include "twincert/protocols/nmea0183/sentences/rot.hpp"
#include "twincert/protocols/nmea0183/sentences/rpm.hpp"
#include "twincert/protocols/nmea0183/sentences/rsa.hpp"
#include "twincert/protocols/nmea0183/sentences/ths.hpp"
#include "twincert/protocols/nmea0183/sentences/tll.hpp"
#include "twincert/protocols/nmea0183/sentences/trc.hpp"
#include "twincert/protocols/nmea0183/sentences/ttm.hpp"
#include "twincert/protocols/nmea0183/sentences/txt.hpp"
#include "twincert/protocols/nmea0183/sentences/vbw.hpp"
#include "twincert/protocols/nmea0183/sentences/vdm.hpp"
#include "twincert/protocols/nmea0183/sentences/vdo.hpp"
#include "twincert/protocols/nmea0183/sentences/vhw.hpp"
#include "twincert/protocols/nmea0183/sentences/vlw.hpp"
#include "twincert/protocols/nmea0183/sentences/vtg.hpp"
#include "twincert/protocols/nmea0183/sentences/wat.hpp"
#include "twincert/protocols/nmea0183/sentences/xdr.hpp"
#include "twincert/protocols/nmea0183/sentences/zda.hpp"
#include "twincert/testing/generators.hpp"

#include <rapidcheck.h>

namespace twincert::nmea0183 {
namespace {

using AllSentences =
    std::tuple<Acn, Alc, Alf, Alr, Arc, Dbt, Dor, Dpt, Etl, Fir, Gga, Gll, Gns, Gsa, Gsv, Hbt, Hdg,
               Hdt, Hrm, Mtw, Mwd, Mwv, Osd, Prc, Rmc, Rot, Rpm, Rsa, Ths, Tll, Trc, Ttm, Txt, Vbw,
               Vdm, Vdo, Vhw, Vlw, Vtg, Wat, Xdr, Zda>;

template <class T>
void check_round_trip() {
  const T value = testing::gen_sentence<T>();
  const std::string talker = testing::gen_talker();
  const std::string text = encode(value, talker);
  RC_ASSERT(text.ends_with("\r\n"));
  const auto raw = parse_sentence(text, Mode::kLenient);
  RC_ASSERT(raw.has_value());
  RC_ASSERT(raw->talker() == talker);
  Violations violations;
  const auto back = decode<T>(*raw, Mode::kLenient, &violations);
  RC_ASSERT(back.has_value());
  RC_ASSERT(*back == value);
  // What twincert writes breaks no rule but, possibly, the 82-character limit.
  RC_ASSERT((violations.codes() &
             ~(std::uint64_t{1} << static_cast<unsigned>(ErrorCode::kTooLong))) == 0U);
  if (text.size() <= kMaxSentenceLength) {
    RC_ASSERT(decode<T>(*parse_sentence(text, Mode::kStrict), Mode::kStrict).has_value());
  }
}

TEST(SentencePropertyTest, EveryTypeIsInThePropertyList) {
  EXPECT_EQ(std::tuple_size_v<AllSentences>, sentence_types().size());
}

RC_GTEST_PROP(SentenceCodec, EncodeThenDecodeIsIdentityForEveryType, ()) {
  std::apply([](auto... types) { (check_round_trip<decltype(types)>(), ...); }, AllSentences{});
}

RC_GTEST_PROP(SentenceCodec, ACorruptedByteIsAlwaysDetected, ()) {
  const std::string text = encode(testing::gen_sentence<Gga>(), "GP");
  const auto star = text.find('*');
  // Any byte between the start delimiter and '*', replaced by another letter or digit.
  const auto position = *rc::gen::inRange<std::size_t>(1, star);
  const char replacement = *rc::gen::elementOf(std::string("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"));
  RC_PRE(replacement != text[position]);
  std::string corrupted = text;
  corrupted[position] = replacement;
  const auto parsed = parse_sentence(corrupted, Mode::kLenient);
  RC_ASSERT(!parsed.has_value());
  RC_ASSERT(parsed.error().code == ErrorCode::kBadChecksum);
}

RC_GTEST_PROP(SentenceCodec, ACorruptedChecksumDigitIsAlwaysDetected, ()) {
  const std::string text = encode(testing::gen_sentence<Rmc>(), "GN");
  const auto star = text.find('*');
  const auto position = star + *rc::gen::inRange<std::size_t>(1, 3);
  const char replacement = *rc::gen::elementOf(std::string("0123456789ABCDEF"));
  RC_PRE(replacement != text[position]);
  std::string corrupted = text;
  corrupted[position] = replacement;
  const auto parsed = parse_sentence(corrupted, Mode::kLenient);
  RC_ASSERT(!parsed.has_value());
  RC_ASSERT(parsed.error().code == ErrorCode::kBadChecksum);
}

RC_GTEST_PROP(EscapeText, UnescapeInvertsEscape, ()) {
  const std::optional<std::string> text = testing::gen_text();
  const std::string escaped = escape_text(*text);
  for (const char c : escaped) RC_ASSERT(!is_reserved(c) || c == '^');
  const auto back = unescape_text(escaped);
  RC_ASSERT(back.has_value());
  RC_ASSERT(*back == *text);
}

}  // namespace
}  // namespace twincert::nmea0183
