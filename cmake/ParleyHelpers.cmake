# parley_library(name SOURCES ... DEPS ...): one component library with a
# namespaced alias parley::name, headers included as "sim/<module>/x.h".
function(parley_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(parley_${name} STATIC ${ARG_SOURCES})
  add_library(parley::${name} ALIAS parley_${name})
  target_include_directories(parley_${name} PUBLIC ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/generated)
  target_link_libraries(parley_${name} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  parley_unity(parley_${name})
endfunction()

# parley_unity(target): compile the target's sources a few at a time in one
# translation unit (CMake's unity build) when PARLEY_UNITY_BUILD is on: the
# headers (Eigen, Boost, CLI11, nlohmann/json, GoogleTest) are parsed once
# per batch instead of once per file, which is most of a file's compile time
# on CI's two cores. Names in anonymous namespaces must therefore differ
# between the files of one target. Used for the libraries, the models, the
# CLI, the benchmarks and the test targets (OPTIMIZED test files excepted).
function(parley_unity target)
  if(PARLEY_UNITY_BUILD)
    set_target_properties(${target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 8)
  endif()
endfunction()

# parley_numeric_coverage(target): in the fuzzing build (PARLEY_FUZZ), a
# numerical library (Monte Carlo, solvers, models) keeps libFuzzer's edge
# counters but not its comparison hooks (trace-cmp): a hook call at every
# comparison of their inner loops made the sanitizer tests 2 to 4 times
# slower there (docs/development.md, "Fuzzing"). The fuzzers' inputs are
# text, and the readers, whose comparisons steer the fuzzer through the
# formats, keep their hooks.
function(parley_numeric_coverage target)
  if(PARLEY_FUZZ)
    target_compile_options(${target} PRIVATE -fno-sanitize-coverage=trace-cmp)
  endif()
endfunction()

# parley_test(name SOURCES ... DEPS ... [OPTIMIZED ...] [SLOW]): a GoogleTest
# binary registered with CTest. OPTIMIZED names the SOURCES compiled at -O1
# rather than -O0 (see below). SLOW: the binary holds tests of 15 s or more
# on CI's two cores, which `ctest -j` starts first (CTest's COST) so that
# none of them is left running alone at the end of a fresh build's first
# run, which has no timings of an earlier one to order by.
function(parley_test name)
  if(NOT PARLEY_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "SLOW" "" "SOURCES;DEPS;OPTIMIZED" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gmock GTest::gtest GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE
    PARLEY_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  # Test code is assertions around library calls: the libraries keep the
  # build's optimisation, the test files compile at -O0 (the last -O wins),
  # and without libFuzzer's coverage hooks, which only the fuzz targets'
  # libraries need. Measured on CI's two cores against -O1: the test objects
  # take 613 -> 378 CPU seconds with Clang and the sanitizers, 444 -> 396
  # with GCC, for the same test times. OPTIMIZED files stay at -O1: their
  # tests run the library's templates (Eigen, the solvers' containers) long
  # enough that the linker's pick of the test file's unoptimised copy of an
  # inline function costs more than the compile saves (under the sanitizers
  # the VertexEnumeration tests took 4x as long at -O0).
  target_compile_options(${name} PRIVATE -O0)
  if(PARLEY_FUZZ)
    target_compile_options(${name} PRIVATE -fno-sanitize=fuzzer-no-link)
  endif()
  if(ARG_OPTIMIZED)
    set_source_files_properties(${ARG_OPTIMIZED} TARGET_DIRECTORY ${name}
      PROPERTIES COMPILE_OPTIONS -O1 SKIP_UNITY_BUILD_INCLUSION ON)
  endif()
  parley_unity(${name})
  set(cost 0)
  if(ARG_SLOW)
    set(cost 100)
  endif()
  gtest_discover_tests(${name} WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    PROPERTIES ENVIRONMENT "PARLEY_BIN=$<TARGET_FILE:parley>" COST ${cost} DISCOVERY_TIMEOUT 60)
endfunction()
