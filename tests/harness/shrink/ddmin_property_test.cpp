// Properties of ddmin: on predicates whose minimal failing subsets are known, it finds one of
// them exactly, its result is 1-minimal and failing, it asks the same questions each time, and it
// stops when the test says the budget is spent.
#include <algorithm>
#include <cstddef>
#include <optional>
#include <set>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "twincert/harness/shrink/ddmin.hpp"

#include <rapidcheck.h>

namespace twincert::harness::shrink {
namespace {

std::vector<std::size_t> iota(std::size_t n) {
  std::vector<std::size_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = i;
  return v;
}

bool includes(const std::vector<std::size_t>& set, const std::vector<std::size_t>& needed) {
  return std::includes(set.begin(), set.end(), needed.begin(), needed.end());
}

// A subset of 0..n-1 of 1 to 4 items, sorted.
std::vector<std::size_t> some_of(std::size_t n) {
  const auto count = *rc::gen::inRange<std::size_t>(1, std::min<std::size_t>(n, 4) + 1);
  std::set<std::size_t> s;
  while (s.size() < count) s.insert(*rc::gen::inRange<std::size_t>(0, n));
  return {s.begin(), s.end()};
}

RC_GTEST_PROP(DdminProperty, FindsTheOneFailureInducingSet, ()) {
  const auto n = *rc::gen::inRange<std::size_t>(1, 120);
  const auto needed = some_of(n);
  const auto r = ddmin(iota(n), [&](const std::vector<std::size_t>& s) -> std::optional<bool> {
    return includes(s, needed);
  });
  RC_ASSERT(r.complete);
  RC_ASSERT(r.kept == needed);
}

RC_GTEST_PROP(DdminProperty, ResultOfADisjunctionIsOneMinimalAndFails, ()) {
  const auto n = *rc::gen::inRange<std::size_t>(2, 80);
  const auto a = some_of(n);
  const auto b = some_of(n);
  const auto fails = [&](const std::vector<std::size_t>& s) {
    return includes(s, a) || includes(s, b);
  };
  const auto r = ddmin(
      iota(n), [&](const std::vector<std::size_t>& s) -> std::optional<bool> { return fails(s); });
  RC_ASSERT(r.complete);
  RC_ASSERT(fails(r.kept));
  for (std::size_t i = 0; i < r.kept.size(); ++i) {
    auto less = r.kept;
    less.erase(less.begin() + static_cast<std::ptrdiff_t>(i));
    RC_ASSERT(!fails(less));
  }
}

RC_GTEST_PROP(DdminProperty, AsksTheSameQuestionsInTheSameOrder, ()) {
  const auto n = *rc::gen::inRange<std::size_t>(1, 60);
  const auto a = some_of(n);
  const auto b = some_of(n);
  const auto record = [&] {
    std::vector<std::vector<std::size_t>> asked;
    const auto r = ddmin(iota(n), [&](const std::vector<std::size_t>& s) -> std::optional<bool> {
      asked.push_back(s);
      return includes(s, a) || includes(s, b);
    });
    return std::pair(asked, r.kept);
  };
  RC_ASSERT(record() == record());
}

RC_GTEST_PROP(DdminProperty, StopsWhenTheBudgetIsSpentWithAFailingSubset, ()) {
  const auto n = *rc::gen::inRange<std::size_t>(8, 100);
  const auto needed = some_of(n);
  const auto budget = *rc::gen::inRange<std::size_t>(1, 6);
  std::size_t asked = 0;
  const auto r = ddmin(iota(n), [&](const std::vector<std::size_t>& s) -> std::optional<bool> {
    if (asked == budget) return std::nullopt;
    ++asked;
    return includes(s, needed);
  });
  RC_ASSERT(asked <= budget);
  RC_ASSERT(includes(r.kept, needed));
  if (!r.complete) RC_ASSERT(r.tests == budget + 1);
}

TEST(DdminTest, EmptySetFirstWhenNothingIsNeeded) {
  std::size_t asked = 0;
  const auto r = ddmin(iota(50), [&](const std::vector<std::size_t>&) -> std::optional<bool> {
    ++asked;
    return true;
  });
  EXPECT_TRUE(r.complete);
  EXPECT_TRUE(r.kept.empty());
  EXPECT_EQ(asked, 1U);
}

TEST(DdminTest, WithoutTheEmptyTrialKeepsOneItem) {
  const auto r =
      ddmin(iota(9), [](const std::vector<std::size_t>&) -> std::optional<bool> { return true; },
            {.try_empty = false});
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(r.kept.size(), 1U);
}

}  // namespace
}  // namespace twincert::harness::shrink
