// Throughput of the protocol core over the real captures in ../shared/corpus and over a
// synthetic stream of typical 60-80 byte sentences.
//
//   cmake --preset bench && cmake --build --preset bench --target protocols_bench
//   build/bench/bench/protocols_bench --benchmark_min_time=2
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "twincert/protocols/ais/assembler.hpp"
#include "twincert/protocols/ais/messages.hpp"
#include "twincert/protocols/nmea0183/framer.hpp"
#include "twincert/protocols/nmea0183/registry.hpp"
#include "twincert/protocols/nmea0183/tag_block.hpp"

namespace {

using namespace twincert::nmea0183;  // NOLINT(google-build-using-namespace): benchmark file

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// All text captures of the corpus (binary receiver logs left out), concatenated.
const std::string& corpus_text() {
  static const std::string text = [] {
    std::string all;
    const std::filesystem::path root = TWINCERT_CORPUS_DIR;
    if (!std::filesystem::exists(root)) return all;
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
      const auto ext = e.path().extension().string();
      if (e.is_regular_file() &&
          (ext == ".log" || ext == ".txt" || ext == ".ais" || ext == ".nmea" ||
           e.path().filename() == "sample.aivdm" || e.path().filename() == "ais_test_messages")) {
        files.push_back(e.path());
      }
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      std::string bytes = read_file(f);
      // Leave out binary logs: more than 5% non-text bytes in the first 64 KiB.
      const auto head = std::string_view(bytes).substr(0, 65536);
      const auto binary = std::count_if(head.begin(), head.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u >= 0x7F || (u < 0x20 && c != '\r' && c != '\n' && c != '\t');
      });
      if (static_cast<double>(binary) > 0.05 * static_cast<double>(head.size())) continue;
      all += bytes;
      if (!all.empty() && all.back() != '\n') all += '\n';
    }
    return all;
  }();
  return text;
}

// Typical VDR sentences, 60-80 bytes each with CR LF, repeated to ~4 MB.
const std::string& typical_stream() {
  static const std::string text = [] {
    const std::vector<std::string> bodies = {
        "GPGGA,090000.00,5357.3210,N,00832.1100,E,1,09,0.9,12.3,M,45.1,M,,",
        "GPRMC,090000.00,A,5357.3210,N,00832.1100,E,12.4,045.2,221125,1.2,E,A,S",
        "GPVTG,045.2,T,044.0,M,12.4,N,23.0,K,A,extra,fields,to,sixty,chars",
        "VWVBW,12.1,0.1,A,12.4,0.2,A,0.1,A,0.2,A,extra,padding,to,60,chars",
        "AIVDM,1,1,,B,177KQJ5000G?tO`K>RA1wUbN0TKH,0,,,,,,,,,,,,,,,,,,,,,",
        "WIMWV,035.0,R,18.2,N,A,WIMWD,302.4,T,289.6,M,10.5,N,5.4,M,extra",
    };
    std::vector<std::string> lines;
    for (const auto& b : bodies) {
      const auto suffix = checksum_suffix(checksum_of(b));
      lines.push_back((b.starts_with("AI") ? "!" : "$") + b + std::string(suffix.data(), 3) +
                      "\r\n");
    }
    std::string all;
    while (all.size() < 4U << 20U) {
      for (const auto& l : lines) all += l;
    }
    return all;
  }();
  return text;
}

template <class OnFrame>
std::size_t frame_stream(std::string_view bytes, OnFrame&& on_frame) {
  Framer framer;
  std::size_t frames = 0;
  while (!bytes.empty()) {
    const auto r = framer.feed(bytes);
    bytes.remove_prefix(r.consumed);
    if (r.status == FrameStatus::kComplete) {
      ++frames;
      on_frame(framer.frame());
    }
  }
  if (framer.finish()) {
    ++frames;
    on_frame(framer.frame());
  }
  return frames;
}

void report(benchmark::State& state, std::size_t bytes, std::size_t items, const char* label) {
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(items));
  state.SetLabel(label);
}

void BM_FrameTypical(benchmark::State& state) {
  const std::string& text = typical_stream();
  std::size_t frames = 0;
  for (auto _ : state) {
    frames = frame_stream(text, [](std::string_view f) { benchmark::DoNotOptimize(f.data()); });
  }
  report(state, text.size(), frames, "synthetic 60-80 byte sentences");
}
BENCHMARK(BM_FrameTypical);

// The target: framing + checksum + validation of typical sentences.
void BM_FrameAndValidateTypical(benchmark::State& state) {
  const std::string& text = typical_stream();
  std::size_t frames = 0;
  std::size_t valid = 0;
  for (auto _ : state) {
    valid = 0;
    frames = frame_stream(text, [&](std::string_view f) {
      valid += parse_tagged_sentence(f, Mode::kLenient).has_value() ? 1U : 0U;
    });
  }
  if (valid != frames) state.SkipWithError("synthetic sentences must all be valid");
  report(state, text.size(), frames, "synthetic 60-80 byte sentences");
}
BENCHMARK(BM_FrameAndValidateTypical);

void BM_FrameAndValidateCorpus(benchmark::State& state) {
  const std::string& text = corpus_text();
  std::size_t frames = 0;
  for (auto _ : state) {
    frames = frame_stream(text, [](std::string_view f) {
      benchmark::DoNotOptimize(parse_tagged_sentence(f, Mode::kLenient).has_value());
    });
  }
  report(state, text.size(), frames, "shared/corpus text captures");
}
BENCHMARK(BM_FrameAndValidateCorpus);

void BM_FrameValidateDecodeCorpus(benchmark::State& state) {
  const std::string& text = corpus_text();
  std::size_t frames = 0;
  for (auto _ : state) {
    frames = frame_stream(text, [](std::string_view f) {
      auto parsed = parse_tagged_sentence(f, Mode::kLenient);
      if (!parsed || parsed->sentence.proprietary()) return;
      if (const SentenceType* t = find_sentence_type(parsed->sentence.formatter())) {
        benchmark::DoNotOptimize(
            t->validate(parsed->sentence, Mode::kLenient, nullptr).has_value());
      }
    });
  }
  report(state, text.size(), frames, "shared/corpus text captures, typed decode");
}
BENCHMARK(BM_FrameValidateDecodeCorpus);

void BM_AisDecodeCorpus(benchmark::State& state) {
  // Only the AIS sentences of the corpus, so the figure is AIS throughput.
  static const std::string ais = [] {
    std::string out;
    frame_stream(corpus_text(), [&](std::string_view f) {
      if (f.find("VDM,") != std::string_view::npos || f.find("VDO,") != std::string_view::npos) {
        out.append(f);
        out += "\r\n";
      }
    });
    return out;
  }();
  std::size_t messages = 0;
  for (auto _ : state) {
    messages = 0;
    twincert::ais::FragmentAssembler assembler;
    frame_stream(ais, [&](std::string_view f) {
      auto parsed = parse_tagged_sentence(f, Mode::kLenient);
      if (!parsed) return;
      auto fragment = twincert::ais::fragment_of(parsed->sentence);
      if (!fragment) return;
      auto outcome = assembler.add(*fragment);
      if (!outcome.message) return;
      auto decoded =
          twincert::ais::decode_payload(outcome.message->payload, outcome.message->fill_bits);
      messages += decoded.has_value() ? 1U : 0U;
    });
  }
  report(state, ais.size(), messages, "shared/corpus AIS sentences (decoded messages/s)");
}
BENCHMARK(BM_AisDecodeCorpus);

}  // namespace

BENCHMARK_MAIN();
