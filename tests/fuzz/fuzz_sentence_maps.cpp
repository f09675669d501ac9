// What a twin emits read through the adapter's sentence maps (harness/sentence_observer.hpp,
// observe.sentences): values from typed fields by name and by position, and alerts from ALR,
// ALF (pairs), ALC, ACN and ARC through vocabularies. Each line of the input is one sentence.
// Whatever the bytes, nothing crashes, every value is finite, every alert change is one of the
// three, an alert is cleared only after it was raised, and the findings add up.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "twincert/harness/sentence_observer.hpp"

#include "fuzz_check.hpp"

namespace {

using twincert::harness::AlertPart;
using twincert::harness::Combine;
using twincert::harness::SentenceAlerts;
using twincert::harness::SentenceMaps;
using twincert::harness::SentenceObserver;
using twincert::harness::SentenceValueMap;
using twincert::harness::WordMatch;
using twincert::harness::WordRule;

SentenceMaps maps(bool by_id) {
  SentenceMaps m;
  SentenceValueMap heading;
  heading.name = "heading_deg";
  heading.formatter = "HDT";
  heading.field.name = "heading_true_deg";
  m.values.push_back(heading);
  SentenceValueMap lat;
  lat.name = "lat";
  lat.formatter = "RMC";
  lat.field.name = "latitude";
  lat.when_field = twincert::harness::SentenceField{"status", 0};
  lat.when_equals = "A";
  m.values.push_back(lat);
  SentenceValueMap depth;
  depth.name = "depth_m";
  depth.formatter = "DPT";
  depth.field.number = 1;
  depth.second.number = 2;
  depth.combine = Combine::kSum;
  m.values.push_back(depth);
  SentenceAlerts a;
  a.condition = by_id ? AlertPart::kId : AlertPart::kTitle;
  a.subject = by_id ? AlertPart::kInstance : AlertPart::kDescription;
  WordRule lost;
  lost.match = WordMatch::kRegex;
  lost.pattern = "(?i)(\\w{1,8}) lost";
  lost.regex = twincert::harness::compile_word_regex(lost.pattern);
  lost.to = "input_lost";
  lost.subject = "$1";
  a.conditions.push_back(lost);
  WordRule any;
  any.match = WordMatch::kAnyCase;
  any.pattern = "source he0001";
  any.to = "HE0001";
  a.subjects.push_back(any);
  a.drop_unmapped = by_id;
  m.alerts = a;
  return m;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Its own allocation, so reads past the end are caught.
  const std::string input(reinterpret_cast<const char*>(data), size);  // NOLINT
  for (const bool by_id : {false, true}) {
    SentenceObserver reader(maps(by_id));
    twincert::rules::Observations o;
    std::string_view rest = input;
    double t = 0.0;
    while (!rest.empty()) {
      const auto end = rest.find('\n');
      reader.take(rest.substr(0, end), t, o);
      t += 1.0;
      if (end == std::string_view::npos) break;
      rest.remove_prefix(end + 1);
    }
    reader.finish(o);
    for (const auto& v : o.values) FUZZ_CHECK(std::isfinite(v.value));
    std::map<std::pair<std::string, std::string>, int> raised;
    for (const auto& a : o.alerts) {
      const auto key = std::pair{a.condition, a.subject};
      switch (a.change) {
        case twincert::rules::AlertChange::kRaised:
          ++raised[key];
          break;
        case twincert::rules::AlertChange::kCleared:
          FUZZ_CHECK(raised[key] > 0);
          break;
        case twincert::rules::AlertChange::kAcknowledged:
          break;
        default:
          FUZZ_CHECK(false);
      }
    }
    for (const auto& f : reader.findings()) FUZZ_CHECK(f.found + f.nulls + f.absent == f.seen);
    (void)reader.problems();
  }
  return 0;
}
