// The two frequent lines of truth.jsonl (docs/formats/truth.md): the own ship's state, every
// simulated second, and each AIS target's, every ten. They are written straight into text rather
// than built as JSON documents, which cost more than all the rest of a bundle's truth: one JSON
// object per line, keys in sorted order, each rounded quantity as the decimal it was rounded to
// ("7.2417", never "7.241700000000001"), whole numbers with one decimal ("20.0"), non-finite
// numbers as null. Thread-compatible.
#pragma once

#include <string>

#include "twincert/generators/geodesy.hpp"
#include "twincert/generators/traffic.hpp"
#include "twincert/generators/vessel.hpp"

namespace twincert::generators {

// Appends the "state" record of `s` (no newline).
void append_state_record(const ShipState& s, std::string& out);

// Appends the "target" record of `target` at `t_s`, where it is (`position`) and how it
// approaches the own ship (no newline).
void append_target_record(double t_s, const Target& target, GeoPoint position,
                          const Approach& approach, std::string& out);

}  // namespace twincert::generators
