// Delta debugging's ddmin (Zeller and Hildebrandt, "Simplifying and Isolating
// Failure-Inducing Input", IEEE TSE 28(2), 2002) over a set of item indices: the core of
// `twincert shrink`, with no I/O, no clock and no state between calls.
//
// Given items that fail together, ddmin splits them into n chunks (n = 2 first), keeps a chunk
// that fails on its own, else drops a chunk whose complement still fails, else doubles n, until
// n reaches the number of items. When it runs to its end, the result is 1-minimal: dropping any
// single item of it no longer fails. The order of the tests is fixed by the input alone, so the
// same items and the same answers give the same result.
//
// The caller's test says whether a subset still fails; it may also say that the budget is spent
// (std::nullopt), and ddmin then returns the smallest failing subset found so far, marked
// incomplete. A test may refuse a subset without running anything (an inadmissible candidate:
// answer false). Stateless: thread-safe.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <vector>

namespace twincert::harness::shrink {

// true: the subset (sorted indices) still fails the same way; false: it does not, or it is not
// admissible; std::nullopt: stop, the budget is spent.
using SubsetTest = std::function<std::optional<bool>(const std::vector<std::size_t>& subset)>;

struct DdminOptions {
  // Try the empty subset first. Whole dimensions (faults, events) are often not needed at all,
  // and one test saves ddmin's log2(n) rounds of halving.
  bool try_empty = true;
};

struct DdminResult {
  std::vector<std::size_t> kept;  // a failing subset of the input (the input itself at worst)
  bool complete = false;          // ran to the end: `kept` is 1-minimal
  std::size_t tests = 0;          // calls of the test
};

// Requires: `items` sorted, without duplicates, and failing (the caller has checked it: ddmin
// never tests the whole set).
DdminResult ddmin(const std::vector<std::size_t>& items, const SubsetTest& fails,
                  const DdminOptions& options = {});

}  // namespace twincert::harness::shrink
