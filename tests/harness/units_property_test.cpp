// Properties of the unit table: a conversion there and back is the identity (to rounding), a
// conversion between dimensions does not exist, and every unit is found by its own symbol.
#include <cmath>
#include <cstddef>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "twincert/harness/units.hpp"

#include <rapidcheck.h>

namespace twincert::harness::units {
namespace {

Unit any_unit() {
  const auto all = all_units();
  return all[*rc::gen::inRange<std::size_t>(0, all.size())];
}

RC_GTEST_PROP(UnitsProperty, ConvertingThereAndBackIsTheIdentity, ()) {
  const Unit from = any_unit();
  const auto all = all_units();
  std::size_t same = 0;
  for (const Unit& u : all) same += u.dimension == from.dimension ? 1U : 0U;
  RC_PRE(same > 0U);
  // Another unit of the same dimension (possibly itself).
  Unit to = from;
  const auto pick = *rc::gen::inRange<std::size_t>(0, same);
  for (std::size_t i = 0, n = 0; i < all.size(); ++i) {
    if (all[i].dimension != from.dimension) continue;
    if (n++ == pick) to = all[i];
  }
  const double v = *rc::gen::inRange(-1'000'000, 1'000'000) / 7.0;
  const auto there = conversion(from, to);
  const auto back = conversion(to, from);
  RC_ASSERT(there.has_value());
  RC_ASSERT(back.has_value());
  const double again = (*back)((*there)(v));
  RC_ASSERT(std::abs(again - v) <= 1e-9 * std::max(1.0, std::abs(v)));
}

RC_GTEST_PROP(UnitsProperty, UnitsOfDifferentDimensionsDoNotConvert, ()) {
  const Unit a = any_unit();
  const Unit b = any_unit();
  RC_PRE(a.dimension != b.dimension);
  RC_ASSERT(!conversion(a, b).has_value());
}

RC_GTEST_PROP(UnitsProperty, EveryUnitIsFoundByItsSymbol, ()) {
  const Unit u = any_unit();
  const auto found = find_unit(u.symbol);
  RC_ASSERT(found.has_value());
  RC_ASSERT(found->symbol == u.symbol);
}

}  // namespace
}  // namespace twincert::harness::units
