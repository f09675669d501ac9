// A twin's JSON answer read through the adapter's mapping language (harness/mapping.hpp): table
// shapes (a list, the whole answer, an object keyed by a regex capture, lists within lists) and
// alert vocabularies over every text the answer holds. Whatever the answer, nothing crashes,
// every row points into the answer, a look either found its shape or says what it found, and a
// translated word is the rule's result with captures filled in.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "twincert/harness/mapping.hpp"

#include "fuzz_check.hpp"

namespace {

using nlohmann::json;
using twincert::harness::Table;
using twincert::harness::TableLevel;
using twincert::harness::TableShape;
using twincert::harness::WordMatch;
using twincert::harness::WordRule;

TableLevel level(std::string at, TableShape shape, const std::string& key = {}) {
  TableLevel l;
  l.at = std::move(at);
  l.shape = shape;
  if (!key.empty()) {
    l.key_pattern = key;
    l.key = twincert::harness::compile_word_regex(key);
  }
  return l;
}

const std::vector<Table>& tables() {
  static const std::vector<Table> all = {
      Table{{level("/targets", TableShape::kList)}},
      Table{{level("", TableShape::kList)}},
      Table{{level("", TableShape::kKeyed, "urn:mrn:imo:mmsi:([0-9]{9})")}},
      Table{{level("/vessels", TableShape::kKeyed)}},
      Table{{level("/groups", TableShape::kList), level("/items", TableShape::kList)}},
      Table{{level("", TableShape::kKeyed, "(?i)s(.*)"), level("", TableShape::kList)}},
  };
  return all;
}

const std::vector<WordRule>& words() {
  static const std::vector<WordRule> all = [] {
    std::vector<WordRule> rules(3);
    rules[0].pattern = "HDG_LOST";
    rules[0].to = "input_lost";
    rules[0].subject = "HE0001";
    rules[1].match = WordMatch::kAnyCase;
    rules[1].pattern = "depth shallow";
    rules[1].to = "shallow_water";
    rules[2].match = WordMatch::kRegex;
    rules[2].pattern = "(?i)(\\w{1,8})_stale";
    rules[2].regex = twincert::harness::compile_word_regex(rules[2].pattern);
    rules[2].to = "input_frozen $1 $$ $9";
    rules[2].subject = "$1";
    return rules;
  }();
  return all;
}

void each_text(const json& j, int depth, const std::function<void(const std::string&)>& f) {
  if (depth > 64) return;
  if (j.is_string()) f(j.get<std::string>());
  if (j.is_object()) {
    for (const auto& [key, value] : j.items()) {
      f(key);
      each_text(value, depth + 1, f);
    }
  } else if (j.is_array()) {
    for (const auto& value : j) each_text(value, depth + 1, f);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);  // NOLINT: bytes as text
  const json answer = json::parse(input, nullptr, false);
  if (answer.is_discarded()) return 0;
  for (const Table& table : tables()) {
    const auto rows = twincert::harness::rows_of(table, answer);
    for (const auto& row : rows.rows) FUZZ_CHECK(row.entry != nullptr);
    for (const auto& look : rows.looks) {
      FUZZ_CHECK(look.level < table.levels.size());
      if (look.as_expected) FUZZ_CHECK(look.node != nullptr);
    }
    FUZZ_CHECK(rows.keys_skipped.size() <= rows.keys_skipped_count);
  }
  each_text(answer, 0, [](const std::string& word) {
    if (word.size() > 256) return;  // std::regex recurses per character
    if (const auto t = twincert::harness::translate(words(), word)) {
      FUZZ_CHECK(!t->word.empty());
      if (word == "HDG_LOST") FUZZ_CHECK(t->word == "input_lost" && t->subject == "HE0001");
    }
  });
  return 0;
}
