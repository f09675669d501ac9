# twincert::warnings carries the project's warning set; -Werror is separate (TWINCERT_WERROR) so a
# newer compiler never breaks a user's build, while CI keeps warnings at zero.
set(TWINCERT_WARNING_FLAGS
  -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow -Wold-style-cast
  -Wnon-virtual-dtor -Woverloaded-virtual -Wimplicit-fallthrough
  $<$<BOOL:${TWINCERT_WERROR}>:-Werror>)

add_library(twincert_warnings INTERFACE)
add_library(twincert::warnings ALIAS twincert_warnings)
target_compile_options(twincert_warnings INTERFACE ${TWINCERT_WARNING_FLAGS} -Wnull-dereference)

# Programs that use iostreams (the CLI, tests, benchmarks) leave out -Wnull-dereference: g++ 12
# at -O2 reports it inside libstdc++'s streambuf and basic_string after inlining, false positives
# we cannot fix in our code. The libraries keep it.
add_library(twincert_program_warnings INTERFACE)
add_library(twincert::program_warnings ALIAS twincert_program_warnings)
target_compile_options(twincert_program_warnings INTERFACE ${TWINCERT_WARNING_FLAGS})
