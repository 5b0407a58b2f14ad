#include "vigil/synth/text_out.hpp"

#include <cerrno>
#include <cstring>

#include "vigil/core/error.hpp"

namespace vigil::synth {

TextFile::TextFile(const std::filesystem::path& path) : path_(path) {
    file_ = std::fopen(path.c_str(), "wb");
    if (file_ == nullptr) {
        ThrowIo("cannot create '" + path.string() + "': " + std::strerror(errno));
    }
    buffer_.reserve(kFlushAt + 4096);
}

TextFile::~TextFile() {
    if (file_ != nullptr) std::fclose(file_);
}

void TextFile::Flush() {
    if (buffer_.empty()) return;
    if (std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) {
        ThrowIo("cannot write '" + path_.string() + "': " + std::strerror(errno));
    }
    buffer_.clear();
}

void TextFile::Close() {
    if (file_ == nullptr) return;
    Flush();
    const int rc = std::fclose(file_);
    file_ = nullptr;
    if (rc != 0) ThrowIo("cannot close '" + path_.string() + "': " + std::strerror(errno));
}

TextFile& TextFile::Int(std::int64_t v) {
    AppendInt(buffer_, v);
    return *this;
}

TextFile& TextFile::Fixed(double v, int decimals) {
    AppendFixed(buffer_, v, decimals);
    return *this;
}

TextFile& TextFile::Field(std::string_view s) {
    AppendField(buffer_, s);
    if (buffer_.size() >= kFlushAt) Flush();
    return *this;
}

TextFile& TextFile::Padded(std::int64_t v, int width) {
    AppendPadded(buffer_, v, width);
    return *this;
}

void AppendInt(std::string& out, std::int64_t v) {
    char buf[24];
    const auto res = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, res.ptr);
}

void AppendFixed(std::string& out, double v, int decimals) {
    char buf[64];
    // Avoid "-0.000000": negative zero and values that round to zero print without a sign.
    if (v == 0.0) v = 0.0;
    const auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
    std::string_view text(buf, static_cast<std::size_t>(res.ptr - buf));
    if (text.front() == '-' && text.find_first_not_of("-0.") == std::string_view::npos) text.remove_prefix(1);
    out.append(text);
}

void AppendPadded(std::string& out, std::int64_t v, int width) {
    char buf[24];
    const auto res = std::to_chars(buf, buf + sizeof buf, v);
    const auto len = static_cast<int>(res.ptr - buf);
    for (int i = len; i < width; ++i) out.push_back('0');
    out.append(buf, res.ptr);
}

void AppendField(std::string& out, std::string_view s) {
    if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
        out.append(s);
        return;
    }
    out.push_back('"');
    for (char c : s) {
        if (c == '"') out.push_back('"');
        out.push_back(c);
    }
    out.push_back('"');
}

} // namespace vigil::synth
