#pragma once
// Fast text output for the synthetic city: a file written through one large buffer, with numbers
// formatted by std::to_chars (locale-independent, shortest/fixed exactly as requested) and CSV fields
// quoted per RFC 4180 only when they hold a comma, quote or line break. No iostreams per field.
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

namespace vigil::synth {

class TextFile {
public:
    // Creates or truncates the file; throws vigil::Error (kIo) naming the path when it cannot.
    explicit TextFile(const std::filesystem::path& path);
    ~TextFile(); // closes without throwing; call Close() to see write errors
    TextFile(const TextFile&) = delete;
    TextFile& operator=(const TextFile&) = delete;

    TextFile& Put(std::string_view s) {
        buffer_.append(s);
        if (buffer_.size() >= kFlushAt) Flush();
        return *this;
    }
    TextFile& Put(char c) {
        buffer_.push_back(c);
        return *this;
    }
    TextFile& Int(std::int64_t v);
    TextFile& Fixed(double v, int decimals);
    // A CSV field: quoted (quotes doubled) only when needed.
    TextFile& Field(std::string_view s);
    // Zero-padded non-negative integer of at least `width` digits.
    TextFile& Padded(std::int64_t v, int width);
    void EndRow() {
        buffer_.push_back('\n');
        ++rows_;
        if (buffer_.size() >= kFlushAt) Flush();
    }

    std::uint64_t rows() const { return rows_; } // EndRow calls, header included
    void Close();

private:
    static constexpr std::size_t kFlushAt = std::size_t{1} << 22;
    void Flush();
    std::filesystem::path path_;
    std::FILE* file_ = nullptr;
    std::string buffer_;
    std::uint64_t rows_ = 0;
};

// Appends to a std::string the same way (used to pre-format fragments reused on many rows).
void AppendFixed(std::string& out, double v, int decimals);
void AppendInt(std::string& out, std::int64_t v);
void AppendField(std::string& out, std::string_view s);
void AppendPadded(std::string& out, std::int64_t v, int width);

} // namespace vigil::synth
