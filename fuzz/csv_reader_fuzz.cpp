// libFuzzer target for the streaming CSV reader (vigil::io::CsvReader) and the UTF-8 validator.
// Each input is written to a scratch file (the reader takes a path; gzip is detected from content, so the
// fuzzer reaches the gzip path too) and read to the end. Beyond "no crash, no leak, no undefined behaviour"
// under ASan/UBSan, it checks properties the reader promises:
//   - the only exception is vigil::Error of kind kIo (a corrupt or truncated gzip stream);
//   - records come in order and do not overlap: line >= previous line + previous line_count, line_count >= 1;
//   - a record has a problem exactly when it has a problem column (>= 1); a clean record has >= 1 field;
//   - for plain (non-gzip) input, no record reaches past the input's last physical line, and no field, raw
//     text or byte count is longer than the input;
//   - IsValidUtf8 agrees with an independent byte-range validator (Unicode 15, table 3-7) on the input.
// Build and run: see fuzz/README.md.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <unistd.h>

#include "vigil/core/error.hpp"
#include "vigil/io/csv_reader.hpp"

namespace {

[[noreturn]] void Fail(const char* what, long long a = 0, long long b = 0) {
    std::fprintf(stderr, "csv_reader_fuzz: invariant broken: %s (%lld, %lld)\n", what, a, b);
    std::abort();
}

// Well-formed UTF-8 by the table of allowed byte ranges (Unicode Standard, table 3-7), written independently
// of the decoder in csv_reader.cpp.
bool Utf8ByTable(std::string_view s) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const std::size_t n = s.size();
    auto in = [](unsigned char c, unsigned lo, unsigned hi) { return c >= lo && c <= hi; };
    std::size_t i = 0;
    while (i < n) {
        const unsigned char c = p[i];
        if (c <= 0x7F) {
            ++i;
            continue;
        }
        std::size_t len = 0;
        unsigned lo2 = 0x80, hi2 = 0xBF;
        if (in(c, 0xC2, 0xDF)) len = 2;
        else if (c == 0xE0) len = 3, lo2 = 0xA0;
        else if (in(c, 0xE1, 0xEC) || in(c, 0xEE, 0xEF)) len = 3;
        else if (c == 0xED) len = 3, hi2 = 0x9F;
        else if (c == 0xF0) len = 4, lo2 = 0x90;
        else if (in(c, 0xF1, 0xF3)) len = 4;
        else if (c == 0xF4) len = 4, hi2 = 0x8F;
        else return false;
        if (i + len > n) return false;
        if (!in(p[i + 1], lo2, hi2)) return false;
        for (std::size_t k = 2; k < len; ++k)
            if (!in(p[i + k], 0x80, 0xBF)) return false;
        i += len;
    }
    return true;
}

// Physical lines as the reader counts them: LF, CRLF and a lone CR each end a line.
long long PhysicalLines(const std::uint8_t* data, std::size_t size) {
    long long lines = 1;
    for (std::size_t i = 0; i < size; ++i) {
        if (data[i] == '\n') ++lines;
        else if (data[i] == '\r' && (i + 1 >= size || data[i + 1] != '\n')) ++lines;
    }
    return lines;
}

struct ScratchFile {
    std::string path;
    int fd = -1;
    ScratchFile() {
        const char* dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
        path = std::string(dir) + "/vigil-csv-fuzz-XXXXXX";
        fd = mkstemp(path.data());
        if (fd < 0) Fail("cannot create the scratch file");
    }
    ~ScratchFile() {
        close(fd);
        unlink(path.c_str());
    }
    void Put(const std::uint8_t* data, std::size_t size) {
        if (ftruncate(fd, 0) != 0) Fail("ftruncate");
        std::size_t off = 0;
        while (off < size) {
            ssize_t n = pwrite(fd, data + off, size - off, static_cast<off_t>(off));
            if (n <= 0) Fail("pwrite");
            off += static_cast<std::size_t>(n);
        }
    }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static ScratchFile file;
    file.Put(data, size);

    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    if (vigil::io::IsValidUtf8(bytes) != Utf8ByTable(bytes)) Fail("IsValidUtf8 disagrees with table 3-7");

    const bool gzip = size >= 2 && data[0] == 0x1F && data[1] == 0x8B;
    const long long max_line = PhysicalLines(data, size);
    try {
        vigil::io::CsvReader reader(file.path);
        vigil::io::CsvRecord rec;
        long long next_free_line = 1; // first line the next record may start on
        while (reader.Next(rec)) {
            if (rec.line < next_free_line) Fail("records overlap or go backwards", rec.line, next_free_line);
            if (rec.line_count < 1) Fail("line_count < 1", rec.line_count);
            next_free_line = rec.line + rec.line_count;
            if (rec.problem.empty() != (rec.problem_column == 0))
                Fail("problem and problem_column disagree", rec.problem_column);
            if (rec.problem_column < 0) Fail("negative problem column", rec.problem_column);
            if (rec.problem.empty() && rec.fields.empty()) Fail("clean record without fields");
            std::size_t total = 0;
            for (std::string_view f : rec.fields) {
                total += f.size();
                (void)vigil::io::IsValidUtf8(f);
                if (vigil::io::Trim(f).size() > f.size()) Fail("Trim grew a field");
            }
            if (!gzip) {
                if (next_free_line - 1 > max_line) Fail("record past the last line", next_free_line - 1, max_line);
                if (total > size) Fail("fields longer than the input", static_cast<long long>(total));
                if (rec.raw.size() > size) Fail("raw longer than the input", static_cast<long long>(rec.raw.size()));
            }
        }
        if (!gzip && reader.bytes_consumed() > size)
            Fail("consumed more bytes than the input", static_cast<long long>(reader.bytes_consumed()));
    } catch (const vigil::Error& e) {
        if (e.kind() != vigil::ErrorKind::kIo) {
            std::fprintf(stderr, "csv_reader_fuzz: unexpected error kind: %s\n", e.what());
            std::abort();
        }
    }
    return 0;
}
