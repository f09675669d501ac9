// The mapping language of twin adapters (docs/formats/adapter.md): how a twin's own JSON is read
// into the truth's words and units. Three pieces, each configuration read once by
// load_adapter() and applied to every answer:
//   - ValueTransform: a number as the twin reports it (scale, offset, unit) → the truth's unit;
//   - WordRule lists: the twin's alert words → the truth's (exact, any case, or a regex whose
//     captures $1..$9 may appear in the result);
//   - Table: where the entries of a list-like answer are (a list, an object keyed by id, lists
//     within lists), and what each level actually held.
// Values; the compiled regexes are shared, immutable, and safe to use from several threads. The
// functions keep no state and are thread-safe. Rows returned by rows_of() point into the answer
// given and are valid while it lives.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "twincert/harness/units.hpp"

namespace twincert::harness {

// How two numbers, each at its own pointer, make one value.
enum class Combine : std::uint8_t {
  kNone,        // one pointer: the value as it is
  kSum,         // a + b (depth below the transducer + the transducer's depth)
  kDifference,  // a - b
  kHypot,       // sqrt(a² + b²): a speed from its east and north components
  kBearing,     // atan2(a, b) in degrees 0..360: a course from its east (a) and north (b) parts
};

// What a number read from the twin becomes: (raw × scale + offset) in the twin's `unit`, then
// converted to the truth's unit. With no unit the number is taken as in the truth's unit.
struct ValueTransform {
  double scale = 1.0;
  double offset = 0.0;
  std::string unit;            // the twin's unit, canonical symbol ("m/s"); empty: none given
  units::Conversion to_truth;  // identity when `unit` is empty
  double operator()(double raw) const { return to_truth(raw * scale + offset); }
};

// Combines two numbers as `how` says (kNone: returns a).
double combine(Combine how, double a, double b);

enum class WordMatch : std::uint8_t { kExact, kAnyCase, kRegex };

// One entry of a vocabulary: a twin's word → the truth's word (and, for conditions, optionally
// the subject the condition implies).
struct WordRule {
  WordMatch match = WordMatch::kExact;
  std::string pattern;                      // the word, or the regex as written
  std::shared_ptr<const std::regex> regex;  // kRegex: compiled (whole-word match)
  std::string to;                           // may hold $1..$9 (kRegex) and $$
  std::optional<std::string> subject;       // conditions only: the subject it implies
};

// Compiles a rule's regex; "(?i)" in front ignores case. Throws std::regex_error when bad.
std::shared_ptr<const std::regex> compile_word_regex(const std::string& pattern);

struct Translated {
  std::string word;
  std::optional<std::string> subject;  // set when the matching rule gives one
};

// The first rule that matches `word`, applied; nullopt when none does.
std::optional<Translated> translate(const std::vector<WordRule>& rules, std::string_view word);

enum class TableShape : std::uint8_t {
  kList,   // a JSON list: each element is an entry
  kKeyed,  // a JSON object: each member is an entry, its name the entry's key
};

// One level of a table: where it is (a JSON pointer into the answer, or into each entry of the
// level before), its shape and, for keyed levels, which member names count and what of them is
// the key (the first capture of `key`, else the whole name).
struct TableLevel {
  std::string at;  // "" = the whole answer (or entry)
  TableShape shape = TableShape::kList;
  std::string key_pattern;                // as written; empty: every member
  std::shared_ptr<const std::regex> key;  // compiled key_pattern
};

// Levels from the answer inwards: entries are what the last level yields.
struct Table {
  std::vector<TableLevel> levels;
};

// A table that is one JSON list at `pointer`.
Table list_at(std::string pointer);

// "a list" / "an object keyed by id".
std::string_view describe(TableShape shape);

// The adapter's word for a combination: "sum", "difference", "hypot", "bearing" ("value": none).
std::string_view name_of(Combine how);

struct TableRow {
  const nlohmann::json* entry = nullptr;
  std::string key;  // the innermost keyed level's key (its capture); else the list index
};

struct TableRows {
  std::vector<TableRow> rows;
  // Every place a level was looked for: the level, what its pointer led to (nullptr: nothing),
  // and whether that had the level's shape. An empty list or object has it.
  struct Look {
    std::size_t level = 0;
    const nlohmann::json* node = nullptr;
    bool as_expected = false;
  };
  std::vector<Look> looks;
  std::size_t keys_matched = 0;           // member names of keyed levels the key pattern took
  std::vector<std::string> keys_skipped;  // ... and those it did not (at most a few kept)
  std::size_t keys_skipped_count = 0;
};

TableRows rows_of(const Table& table, const nlohmann::json& answer);

// In a row: "@key" is the row's key; any other text is a JSON pointer into the entry.
inline constexpr std::string_view kRowKey = "@key";

}  // namespace twincert::harness
