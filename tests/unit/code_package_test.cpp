#include "control/code_package.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <zip.h>

#include <filesystem>
#include <fstream>

#include "common/aws_error.hpp"

namespace lambdalab::control {
namespace {

namespace fs = std::filesystem;

// Builds a zip in memory with libzip, entries carrying Unix modes as `zip` on Linux writes them.
std::string make_zip(const std::vector<std::tuple<std::string, std::string, unsigned>>& entries) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* out = zip_source_buffer_create(nullptr, 0, 0, &error);
    zip_source_keep(out);
    zip_t* archive = zip_open_from_source(out, ZIP_TRUNCATE, &error);
    for (const auto& [name, content, mode] : entries) {
        zip_source_t* data = zip_source_buffer(archive, content.data(), content.size(), 0);
        const zip_int64_t index = zip_file_add(archive, name.c_str(), data, ZIP_FL_OVERWRITE);
        zip_file_set_external_attributes(archive, static_cast<zip_uint64_t>(index), 0, ZIP_OPSYS_UNIX,
                                         static_cast<zip_uint32_t>((S_IFREG | mode) << 16));
    }
    zip_close(archive);
    zip_source_open(out);
    zip_source_seek(out, 0, SEEK_END);
    const auto size = static_cast<std::size_t>(zip_source_tell(out));
    zip_source_seek(out, 0, SEEK_SET);
    std::string bytes(size, '\0');
    zip_source_read(out, bytes.data(), size);
    zip_source_close(out);
    zip_source_free(out);
    return bytes;
}

class CodePackageTest : public ::testing::Test {
  protected:
    void SetUp() override {
        root = fs::temp_directory_path() / ("code-package-test-" + std::to_string(::getpid()) + "-" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(root);
    }
    void TearDown() override { fs::remove_all(root); }
    fs::path root;
};

TEST_F(CodePackageTest, UnpacksFilesKeepingModesAndHashesTheZip) {
    const std::string zip = make_zip({{"bootstrap", "#!/bin/sh\n", 0755}, {"lib/data.txt", "hello", 0644}});
    const CodePackage package = unpack_zip(zip, root / "code");
    EXPECT_EQ(package.size, static_cast<std::int64_t>(zip.size()));
    EXPECT_EQ(package.sha256, sha256_base64(zip));
    EXPECT_EQ(package.sha256.size(), 44u);
    std::ifstream data(root / "code" / "lib" / "data.txt");
    std::string text;
    data >> text;
    EXPECT_EQ(text, "hello");
    const auto perms = fs::status(root / "code" / "bootstrap").permissions();
    EXPECT_NE(perms & fs::perms::owner_exec, fs::perms::none);
}

TEST_F(CodePackageTest, RefusesEntriesOutsideThePackageAndCleansUp) {
    const std::string zip = make_zip({{"ok.txt", "x", 0644}, {"../escape.txt", "x", 0644}});
    EXPECT_THROW(unpack_zip(zip, root / "code"), AwsException);
    EXPECT_FALSE(fs::exists(root / "code"));
    EXPECT_FALSE(fs::exists(root / "escape.txt"));
}

TEST_F(CodePackageTest, RefusesWhatIsNotAZip) {
    try {
        unpack_zip("definitely not a zip", root / "code");
        FAIL() << "accepted garbage";
    } catch (const AwsException& e) {
        EXPECT_EQ(e.error().type, "InvalidParameterValueException");
        EXPECT_NE(e.error().message.find("Could not unzip uploaded file"), std::string::npos);
    }
}

TEST_F(CodePackageTest, DescribesADirectoryAndNoticesChanges) {
    fs::create_directories(root / "dir");
    std::ofstream(root / "dir" / "a.py") << "print(1)\n";
    const CodePackage first = describe_directory(root / "dir");
    EXPECT_EQ(first.size, 9);
    std::ofstream(root / "dir" / "b.py") << "x\n";
    EXPECT_NE(describe_directory(root / "dir").sha256, first.sha256);
    EXPECT_THROW(describe_directory(root / "missing"), AwsException);
}

}  // namespace
}  // namespace lambdalab::control
