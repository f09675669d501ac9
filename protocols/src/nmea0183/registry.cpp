// The only file that includes every sentence header: one line per sentence below.
#include "twincert/protocols/nmea0183/registry.hpp"

#include <algorithm>
#include <array>

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

namespace twincert::nmea0183 {

namespace {

template <class T>
Result<void> validate_as(const RawSentence& sentence, Mode mode, Violations* violations) {
  auto decoded = decode<T>(sentence, mode, violations);
  if (!decoded) return decoded.error();
  return {};
}

template <class T>
Result<std::vector<NamedValue>> describe_as(const RawSentence& sentence, Mode mode,
                                            Violations* violations) {
  auto decoded = decode<T>(sentence, mode, violations);
  if (!decoded) return decoded.error();
  FieldCollector collector;
  T::fields(*decoded, collector);
  return std::move(collector).take();
}

template <class T>
constexpr SentenceType entry() {
  return SentenceType{T::kFormatter, T::kTitle, T::kStart, &validate_as<T>, &describe_as<T>};
}

constexpr auto kTypes = std::to_array<SentenceType>({
    entry<Acn>(), entry<Alc>(), entry<Alf>(), entry<Alr>(), entry<Arc>(), entry<Dbt>(),
    entry<Dor>(), entry<Dpt>(), entry<Etl>(), entry<Fir>(), entry<Gga>(), entry<Gll>(),
    entry<Gns>(), entry<Gsa>(), entry<Gsv>(), entry<Hbt>(), entry<Hdg>(), entry<Hdt>(),
    entry<Hrm>(), entry<Mtw>(), entry<Mwd>(), entry<Mwv>(), entry<Osd>(), entry<Prc>(),
    entry<Rmc>(), entry<Rot>(), entry<Rpm>(), entry<Rsa>(), entry<Ths>(), entry<Tll>(),
    entry<Trc>(), entry<Ttm>(), entry<Txt>(), entry<Vbw>(), entry<Vdm>(), entry<Vdo>(),
    entry<Vhw>(), entry<Vlw>(), entry<Vtg>(), entry<Wat>(), entry<Xdr>(), entry<Zda>(),
});

static_assert(std::is_sorted(kTypes.begin(), kTypes.end(),
                             [](const SentenceType& a, const SentenceType& b) {
                               return a.formatter < b.formatter;
                             }),
              "keep the sentence table sorted by formatter");

// Every formatter in the table is three upper-case letters: an index by those letters finds a
// type in a few instructions where the binary search took about 200 (one lookup per sentence).
constexpr std::size_t kLetterSlots = std::size_t{26} * 26 * 26;
constexpr std::uint8_t kNoType = 0xFF;

constexpr std::size_t letters_slot(std::string_view f) noexcept {
  return (static_cast<std::size_t>(f[0] - 'A') * 26 + static_cast<std::size_t>(f[1] - 'A')) * 26 +
         static_cast<std::size_t>(f[2] - 'A');
}

constexpr bool three_letters(std::string_view f) noexcept {
  return f.size() == 3 &&
         std::all_of(f.begin(), f.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

static_assert(kTypes.size() < kNoType, "the index holds a type's position in one byte");
static_assert(std::all_of(kTypes.begin(), kTypes.end(),
                          [](const SentenceType& t) { return three_letters(t.formatter); }),
              "the index assumes three-letter formatters");

constexpr std::array<std::uint8_t, kLetterSlots> make_index() {
  std::array<std::uint8_t, kLetterSlots> index{};
  std::fill(index.begin(), index.end(), kNoType);
  for (std::size_t i = 0; i < kTypes.size(); ++i) {
    index[letters_slot(kTypes[i].formatter)] = static_cast<std::uint8_t>(i);
  }
  return index;
}

constexpr std::array<std::uint8_t, kLetterSlots> kIndex = make_index();

}  // namespace

std::span<const SentenceType> sentence_types() noexcept {
  return kTypes;
}

const SentenceType* find_sentence_type(std::string_view formatter) noexcept {
  if (!three_letters(formatter)) return nullptr;
  const std::uint8_t i = kIndex[letters_slot(formatter)];
  return i == kNoType ? nullptr : &kTypes[i];
}

}  // namespace twincert::nmea0183
