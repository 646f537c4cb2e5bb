# Every dependency comes from Debian 12 packages (scripts/install-deps.sh installs them).
set(Boost_NO_WARN_NEW_VERSIONS ON)
find_package(Boost 1.81 REQUIRED CONFIG COMPONENTS headers filesystem)
find_package(nlohmann_json 3.11 REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(CLI11 REQUIRED)
# libzip's CMake package wants its command-line tools installed too; pkg-config does not.
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBZIP REQUIRED IMPORTED_TARGET libzip)
find_package(Threads REQUIRED)

# Asio, Beast and Boost.Process v2 are compiled once, in emulator/net/boost_impl.cpp;
# every other file includes their headers in "separate compilation" mode.
add_library(lambdalab_boost INTERFACE)
# Boost 1.81's Process v2 does not compile with BOOST_PROCESS_USE_STD_FS, so it uses Boost.Filesystem.
target_link_libraries(lambdalab_boost INTERFACE Boost::headers Boost::filesystem Threads::Threads)
target_compile_definitions(lambdalab_boost INTERFACE
  BOOST_ASIO_SEPARATE_COMPILATION
  BOOST_BEAST_SEPARATE_COMPILATION
  BOOST_PROCESS_V2_SEPARATE_COMPILATION
  BOOST_ASIO_NO_DEPRECATED
  BOOST_ASIO_DISABLE_CONCEPTS)

if(LAMBDALAB_TESTS)
  find_package(GTest REQUIRED)
endif()
if(LAMBDALAB_BENCH)
  find_package(benchmark REQUIRED)
endif()
