# twincert_add_fuzzer(NAME SOURCE): a libFuzzer target in the fuzz preset (clang), and everywhere
# else a plain replay program that runs the seed and regression corpora under ctest, so fuzz
# targets are compiled and exercised on every build and never rot (fmt/simdjson LINKMAIN style).
function(twincert_add_fuzzer name source)
  add_executable(${name} ${source})
  target_link_libraries(${name} PRIVATE twincert::protocols twincert::program_warnings)
  if(TWINCERT_BUILD_FUZZERS)
    target_compile_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined)
    target_link_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined)
  else()
    target_sources(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests/fuzz/replay_main.cpp)
    set(seed_dir ${PROJECT_SOURCE_DIR}/tests/fuzz/corpus/${name})
    add_test(NAME fuzz_replay.${name} COMMAND ${name} ${seed_dir})
    set_tests_properties(fuzz_replay.${name} PROPERTIES LABELS fuzz_replay)
  endif()
endfunction()
