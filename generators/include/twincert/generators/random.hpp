// Deterministic, counter-based random numbers: value = mix(seed, stream, counter).
//
// Every sensor and noise source draws from its own stream (a hash of its name) with its own
// counter, so the output depends only on (seed, scenario) — never on thread count, evaluation
// order elsewhere, the wall clock or random_device. The mixer is SplitMix64's finaliser applied
// twice, which passes BigCrush as a counter-based generator. Stateless and thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

namespace twincert::generators {

// Stable 64-bit id of a named stream (FNV-1a), e.g. stream_id("gnss:GP0001").
constexpr std::uint64_t stream_id(std::string_view name) noexcept {
  std::uint64_t h = 14695981039346656037ULL;
  for (const char c : name) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

class CounterRng {
 public:
  explicit constexpr CounterRng(std::uint64_t seed) noexcept : seed_(seed) {}

  std::uint64_t bits(std::uint64_t stream, std::uint64_t counter) const noexcept;
  // Uniform in [0, 1).
  double uniform(std::uint64_t stream, std::uint64_t counter) const noexcept;
  // Two independent standard normals (Box-Muller on two uniforms drawn for `pair`).
  struct NormalPair {
    double first;
    double second;
  };
  NormalPair normal_pair(std::uint64_t stream, std::uint64_t pair) const noexcept;
  std::uint64_t seed() const noexcept { return seed_; }

 private:
  std::uint64_t seed_;
};

// A named stream with its own counter: the convenient form for one noise source.
class NoiseStream {
 public:
  NoiseStream(const CounterRng& rng, std::string_view name) noexcept
      : rng_(rng), stream_(stream_id(name)) {}
  double uniform() noexcept { return rng_.uniform(stream_, counter_++); }
  // Draws 2k and 2k+1 are the two halves of Box-Muller pair k, so one logarithm, square root
  // and sine/cosine serve two draws, and a seek() anywhere still repeats the same values.
  double normal() noexcept {
    const std::uint64_t pair = counter_ >> 1U;
    if (pair != pair_index_) {
      pair_ = rng_.normal_pair(stream_, pair);
      pair_index_ = pair;
    }
    return (counter_++ & 1U) == 0U ? pair_.first : pair_.second;
  }
  double normal(double sigma) noexcept { return sigma * normal(); }
  // Where the stream is, and a way back there (a stuck sensor repeats its draws).
  std::uint64_t position() const noexcept { return counter_; }
  void seek(std::uint64_t position) noexcept { counter_ = position; }

 private:
  CounterRng rng_;
  std::uint64_t stream_;
  std::uint64_t counter_ = 0;
  std::uint64_t pair_index_ = ~std::uint64_t{0};  // the pair in pair_, none yet
  CounterRng::NormalPair pair_{};
};

}  // namespace twincert::generators
