# lambdalab_warnings: warnings on everywhere; -Werror in CI (LAMBDALAB_WERROR).
add_library(lambdalab_warnings INTERFACE)
# Designated initializers that leave defaulted members out are the idiom here, so no -Wmissing-field-initializers.
target_compile_options(lambdalab_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                                   -Wno-missing-field-initializers)
# GCC 12 reports bogus -Wrestrict on std::string concatenation at -O2 (GCC bug 105651).
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(lambdalab_warnings INTERFACE -Wno-restrict)
endif()
if(LAMBDALAB_WERROR)
  target_compile_options(lambdalab_warnings INTERFACE -Werror)
endif()

# lambdalab_sanitizers: the emulator and its tests run under ASan/UBSan in the test build.
# Functions under test (runtimes, workloads) are not instrumented, so their timings stay realistic.
add_library(lambdalab_sanitizers INTERFACE)
if(LAMBDALAB_SANITIZE)
  target_compile_options(lambdalab_sanitizers INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
                                                        -fno-sanitize-recover=undefined)
  target_link_options(lambdalab_sanitizers INTERFACE -fsanitize=address,undefined)
  # ASan instrumentation makes GCC 12 report bogus -Wmaybe-uninitialized deep inside Beast's parser;
  # it must come after -Wall, so it goes with the warning flags.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(lambdalab_warnings INTERFACE -Wno-maybe-uninitialized)
  endif()
endif()
