#include "twincert/harness/shrink/ddmin.hpp"

#include <algorithm>
#include <iterator>

namespace twincert::harness::shrink {
namespace {

// The i-th of n nearly equal contiguous chunks of `items` (the first chunks one longer).
std::vector<std::size_t> chunk(const std::vector<std::size_t>& items, std::size_t n,
                               std::size_t i) {
  const std::size_t size = items.size() / n;
  const std::size_t longer = items.size() % n;
  const std::size_t begin = i * size + std::min(i, longer);
  const std::size_t end = begin + size + (i < longer ? 1 : 0);
  return {items.begin() + static_cast<std::ptrdiff_t>(begin),
          items.begin() + static_cast<std::ptrdiff_t>(end)};
}

std::vector<std::size_t> without(const std::vector<std::size_t>& items,
                                 const std::vector<std::size_t>& removed) {
  std::vector<std::size_t> rest;
  rest.reserve(items.size() - removed.size());
  std::set_difference(items.begin(), items.end(), removed.begin(), removed.end(),
                      std::back_inserter(rest));
  return rest;
}

}  // namespace

DdminResult ddmin(const std::vector<std::size_t>& items, const SubsetTest& fails,
                  const DdminOptions& options) {
  DdminResult result;
  result.kept = items;
  const auto test = [&](const std::vector<std::size_t>& subset) {
    ++result.tests;
    return fails(subset);
  };
  if (items.empty()) {
    result.complete = true;
    return result;
  }
  if (options.try_empty) {
    const auto empty = test({});
    if (!empty) return result;
    if (*empty) {
      result.kept.clear();
      result.complete = true;
      return result;
    }
  }
  std::size_t n = 2;
  while (result.kept.size() >= 2) {
    n = std::min(n, result.kept.size());
    bool reduced = false;
    // A chunk that fails alone ("reduce to subset").
    for (std::size_t i = 0; i < n && !reduced; ++i) {
      auto subset = chunk(result.kept, n, i);
      const auto r = test(subset);
      if (!r) return result;
      if (*r) {
        result.kept = std::move(subset);
        n = 2;
        reduced = true;
      }
    }
    // A chunk whose complement still fails ("reduce to complement"); with n == 2 the
    // complements are the chunks just tested.
    for (std::size_t i = 0; i < n && !reduced && n > 2; ++i) {
      auto rest = without(result.kept, chunk(result.kept, n, i));
      const auto r = test(rest);
      if (!r) return result;
      if (*r) {
        result.kept = std::move(rest);
        n = std::max<std::size_t>(n - 1, 2);
        reduced = true;
      }
    }
    if (reduced) continue;
    if (n >= result.kept.size()) break;  // every single item tried: 1-minimal
    n = std::min(2 * n, result.kept.size());
  }
  result.complete = true;
  return result;
}

}  // namespace twincert::harness::shrink
