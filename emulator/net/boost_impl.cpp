// The one translation unit that compiles Boost.Asio, Boost.Beast and Boost.Process v2.
// Everything else includes their headers with *_SEPARATE_COMPILATION defined (see cmake/Dependencies.cmake),
// which keeps the header-heavy libraries out of every other object file.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
#include <boost/process/v2/src.hpp>
