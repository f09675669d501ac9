# twincert_add_test_binary(NAME SOURCES... LIBS... LABEL label): one GoogleTest binary per library,
# each test discovered into ctest with the given label.
include(GoogleTest)
function(twincert_add_test_binary name)
  cmake_parse_arguments(ARG "" "LABEL" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gmock GTest::gtest_main twincert::program_warnings)
  gtest_discover_tests(${name}
    DISCOVERY_TIMEOUT 60
    PROPERTIES LABELS "${ARG_LABEL}")
endfunction()
