#include "control/function_request.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/aws_error.hpp"

namespace lambdalab::control {
namespace {

using nlohmann::json;

json valid() {
    return {{"FunctionName", "f"}, {"Runtime", "python3.12"}, {"Handler", "app.handler"}, {"Role", "r"}};
}

std::string rejection(const json& request, bool creating = true) {
    FunctionConfig config;
    try {
        apply_configuration(config, request, creating);
    } catch (const AwsException& e) {
        EXPECT_EQ(e.error().status, 400);
        EXPECT_EQ(e.error().type, "InvalidParameterValueException");
        return e.error().message;
    }
    return {};
}

TEST(ApplyConfiguration, TakesEveryField) {
    FunctionConfig config;
    json request = valid();
    request.update({{"MemorySize", 1769},
                    {"Timeout", 900},
                    {"Description", "d"},
                    {"Architectures", {"arm64"}},
                    {"EphemeralStorage", {{"Size", 1024}}},
                    {"Environment", {{"Variables", {{"GREETING", "hi"}}}}},
                    {"VpcConfig", {{"SubnetIds", {"subnet-1"}}, {"SecurityGroupIds", {"sg-1"}}}}});
    apply_configuration(config, request, true);
    EXPECT_EQ(config.name, "f");
    EXPECT_EQ(config.memory_mb, 1769);
    EXPECT_EQ(config.timeout_s, 900);
    EXPECT_EQ(config.architecture, "arm64");
    EXPECT_EQ(config.ephemeral_storage_mb, 1024);
    EXPECT_EQ(config.environment.at("GREETING"), "hi");
    EXPECT_TRUE(config.vpc.enabled());
}

TEST(ApplyConfiguration, DefaultsAreLambdas) {
    FunctionConfig config;
    apply_configuration(config, valid(), true);
    EXPECT_EQ(config.memory_mb, 128);
    EXPECT_EQ(config.timeout_s, 3);
    EXPECT_EQ(config.ephemeral_storage_mb, 512);
    EXPECT_EQ(config.architecture, "x86_64");
}

TEST(ApplyConfiguration, LimitsAreLambdas) {
    auto with = [](json field) {
        json r = valid();
        r.update(field);
        return r;
    };
    EXPECT_NE(rejection(with({{"MemorySize", 127}})).find("greater than or equal to 128"), std::string::npos);
    EXPECT_NE(rejection(with({{"MemorySize", 10241}})).find("less than or equal to 10240"), std::string::npos);
    EXPECT_NE(rejection(with({{"Timeout", 0}})).find("greater than or equal to 1"), std::string::npos);
    EXPECT_NE(rejection(with({{"Timeout", 901}})).find("less than or equal to 900"), std::string::npos);
    EXPECT_NE(rejection(with({{"EphemeralStorage", {{"Size", 511}}}})).find("512"), std::string::npos);
    EXPECT_NE(rejection(with({{"MemorySize", "big"}})).find("integer"), std::string::npos);
    EXPECT_NE(rejection(with({{"FunctionName", "no spaces"}})).find("functionName"), std::string::npos);
    EXPECT_NE(rejection(with({{"Runtime", "java21"}})).find("java21"), std::string::npos);
    EXPECT_NE(rejection(with({{"Architectures", {"x86_64", "arm64"}}})).find("architectures"), std::string::npos);
    EXPECT_NE(rejection(with({{"Environment", {{"Variables", {{"AWS_REGION", "x"}}}}}})).find("AWS_REGION"),
              std::string::npos);
    EXPECT_NE(rejection(with({{"VpcConfig", {{"SubnetIds", {"subnet-1"}}}}})).find("security group"),
              std::string::npos);
    json no_handler = valid();
    no_handler.erase("Handler");
    EXPECT_NE(rejection(no_handler).find("mandatory"), std::string::npos);
}

TEST(ApplyConfiguration, AnUpdateNeedsNoName) {
    FunctionConfig config;
    apply_configuration(config, valid(), true);
    apply_configuration(config, json{{"MemorySize", 512}}, false);
    EXPECT_EQ(config.memory_mb, 512);
    EXPECT_EQ(config.name, "f");
}

}  // namespace
}  // namespace lambdalab::control
