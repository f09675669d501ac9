// What one mapping of an adapter (a JSON pointer into the twin's answers) found over a case. A
// mapping that never finds what it points at in any answer — no such key, an object where a
// number or a list was expected — is the adapter's mistake, not the twin's: the verdicts that
// rest on it are errors naming the adapter key, never failures of the twin. A twin that answers
// with the key but null (it does not know the value yet) is the twin's business. Pure; not
// thread-safe (the observer's I/O thread owns its tallies).
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace twincert::harness {

// "a string", "an object with keys a, b, ...", "a list of 3", ...: what a pointer found.
std::string describe_json(const nlohmann::json& value);

struct MappingTally {
  std::string key;       // the adapter's key: "observe.http[0].values.sog_kn"
  std::string pointer;   // where it looks: "/sog_kn"
  std::string expected;  // "a number", "a list", "a text"
  std::string affects;   // what rests on it: a value's name, "alerts" or "targets"
  std::string unit;      // the unit the twin's numbers are read in ("m/s"); empty: none given
  std::string looked_in = "answers";  // what `answers` counts: answers, or entries of a table
  std::size_t answers = 0;            // answers (or entries) it was looked for in
  std::size_t found = 0;              // ... that held what it expects there
  std::size_t absent = 0;             // ... that had no such key
  std::size_t nulls = 0;              // ... that held null (the twin does not know it yet)
  std::string other;                  // the first thing found there instead, described

  // One answer: what the pointer led to (nullptr: nothing) and whether it is what is expected.
  void saw(const nlohmann::json* node, bool as_expected) {
    ++answers;
    if (node == nullptr) {
      ++absent;
    } else if (node->is_null()) {
      ++nulls;
    } else if (as_expected) {
      ++found;
    } else if (other.empty()) {
      other = describe_json(*node);
    }
  }

  // Why the adapter is at fault, or nullopt: the mapping found its thing, or null (the twin's
  // not knowing), at least once, or was never looked for (no answer at all: not its fault).
  std::optional<std::string> adapter_fault() const;
};

}  // namespace twincert::harness
