#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "twincert/protocols/iec61162_450/datagram.hpp"
#include "twincert/protocols/nmea0183/registry.hpp"
#include "twincert/protocols/nmea0183/tag_block.hpp"

#include "judging.hpp"
#include "kinds.hpp"

namespace twincert::rules::detail {

namespace {

// What is wrong with one 450 datagram the twin emitted (empty: nothing): IEC 61162-450 strict
// (token, size, a tag block with s: and n: before every sentence, CR LF), and each source's
// line count going on by one from its last line, in this datagram or an earlier one.
std::string datagram_problem(const DatagramObservation& d,
                             std::map<std::string, std::int64_t>& line_counts) {
  if (d.size > d.bytes.size()) {
    return "a datagram of " + std::to_string(d.size) + " bytes (at most " +
           std::to_string(iec61162_450::kMaxDatagramSize) + ")";
  }
  const auto parsed = iec61162_450::parse_datagram(d.bytes, nmea0183::Mode::kStrict);
  if (!parsed) return to_string(parsed.error(), d.bytes);
  std::string problem;
  for (const auto& line : parsed->lines) {
    if (!line.tag || !line.tag->source || !line.tag->line_count) continue;  // strict refused
    const std::string source(*line.tag->source);
    const std::int64_t n = *line.tag->line_count;
    const auto last = line_counts.find(source);
    if (last != line_counts.end() && n != iec61162_450::next_line_count(last->second) &&
        problem.empty()) {
      problem = "line count n:" + std::to_string(n) + " from " + source +
                " after n:" + std::to_string(last->second) +
                " (each line counts on by one, 999 then 1)";
    }
    line_counts[source] = n;
  }
  return problem;
}

// A datagram as evidence: printable, its NUL and CR LF shown.
std::string printable(std::string_view bytes) {
  std::string out;
  for (const char c : bytes.substr(0, 200)) {
    if (c == '\0') {
      out += "\\0";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c < ' ' || c > '~') {
      out += '?';
    } else {
      out += c;
    }
  }
  if (bytes.size() > 200) out += "...";
  return out;
}

}  // namespace

RuleResult judge_syntax(const Rule& rule, const Truth& /*truth*/, const Observations& o) {
  RuleResult r = start(rule);
  std::size_t bad = 0;
  for (const auto& s : o.sentences) {
    const std::string line = s.text + "\r\n";
    auto parsed = nmea0183::parse_tagged_sentence(line, nmea0183::Mode::kStrict);
    std::string problem;
    if (!parsed) {
      problem = to_string(parsed.error(), line);
    } else if (const auto* type = nmea0183::find_sentence_type(parsed->sentence.formatter());
               type != nullptr) {
      if (const auto ok = type->validate(parsed->sentence, nmea0183::Mode::kStrict, nullptr); !ok) {
        // Field offsets count from the sentence, not from the tag block before it.
        const std::string_view view(line);
        const auto close = view.starts_with('\\') ? view.find('\\', 1) : std::string_view::npos;
        problem =
            to_string(ok.error(), close == std::string_view::npos ? view : view.substr(close + 1));
      }
    }
    if (problem.empty()) continue;
    ++bad;
    add_evidence(r, {s.t_s, "strict IEC 61162-1", s.text + " : " + problem});
  }
  std::size_t bad_datagrams = 0;
  std::map<std::string, std::int64_t> line_counts;  // per source: the last n: seen
  for (const auto& d : o.datagrams) {
    const std::string problem = datagram_problem(d, line_counts);
    if (problem.empty()) continue;
    ++bad_datagrams;
    add_evidence(r, {d.t_s, "strict IEC 61162-450", printable(d.bytes) + " : " + problem});
  }
  if (o.sentences.empty() && o.datagrams.empty()) {
    r.verdict = Verdict::kInconclusive;
    r.message = "the twin emitted no sentences";
    return r;
  }
  r.verdict = bad == 0 && bad_datagrams == 0 ? Verdict::kPass : Verdict::kFail;
  r.message = std::to_string(o.sentences.size() - bad) + " of " +
              std::to_string(o.sentences.size()) + " sentences emitted are strict IEC 61162-1";
  if (!o.datagrams.empty()) {
    r.message += "; " + std::to_string(o.datagrams.size() - bad_datagrams) + " of " +
                 std::to_string(o.datagrams.size()) +
                 " datagrams strict IEC 61162-450 (header, tag blocks, line counts)";
  }
  return r;
}

}  // namespace twincert::rules::detail
