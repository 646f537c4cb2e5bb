# The DynamoDB service's unit tests (GoogleTest), all linking lambdalab_dynamodb. Paths are relative
# to this directory; include this file and add the tests, e.g.:
#   include(${CMAKE_CURRENT_SOURCE_DIR}/unit/dynamodb_tests.cmake)
#   list(TRANSFORM DYNAMODB_UNIT_TESTS PREPEND ${CMAKE_CURRENT_SOURCE_DIR}/unit/)
#   add_executable(dynamodb_unit_tests ${DYNAMODB_UNIT_TESTS})
#   target_link_libraries(dynamodb_unit_tests PRIVATE lambdalab_dynamodb GTest::gtest_main lambdalab_warnings)
set(DYNAMODB_UNIT_TESTS
  dynamodb_decimal_test.cpp
  dynamodb_attribute_value_test.cpp
  dynamodb_key_codec_test.cpp
  dynamodb_expressions_test.cpp
  dynamodb_operations_test.cpp
  dynamodb_latency_test.cpp)
