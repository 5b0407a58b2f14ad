#pragma once
// Helpers shared by the tests: where ../shared is, and scratch directories.
#include <filesystem>
#include <string>
#include <unistd.h>

#include <gtest/gtest.h>

namespace vigil::test {

inline std::filesystem::path SharedDir() { return VIGIL_SHARED_DIR; }
inline std::filesystem::path SourceDir() { return VIGIL_SOURCE_DIR; }

// Skips the calling test (with the reason) when ../shared is not beside the checkout.
#define VIGIL_REQUIRE_SHARED(rel)                                                                     \
    do {                                                                                              \
        if (!std::filesystem::exists(::vigil::test::SharedDir() / (rel)))                             \
            GTEST_SKIP() << "needs " << (::vigil::test::SharedDir() / (rel)).string();               \
    } while (0)

// A fresh empty directory under the build tree, removed when the object dies.
class ScratchDir {
public:
    explicit ScratchDir(const std::string& name) {
        path_ = std::filesystem::temp_directory_path() /
                ("vigil-test-" + name + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
        std::filesystem::remove_all(path_);
        std::filesystem::create_directories(path_);
    }
    ~ScratchDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& rel) const { return path_ / rel; }

private:
    static inline int counter_ = 0;
    std::filesystem::path path_;
};

} // namespace vigil::test
