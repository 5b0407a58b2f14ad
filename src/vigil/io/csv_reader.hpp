#pragma once
// Streaming CSV reader (RFC 4180) for partner extracts: plain or gzip-compressed files, a UTF-8 byte-order mark,
// LF or CRLF line ends, quoted fields with doubled quotes and embedded newlines, a missing final newline.
// Each record carries the physical line number where it starts (header = line 1) so that rejects can name it.
// Malformed records (a quote inside an unquoted field, text after a closing quote, a quote never closed) are
// returned with a problem description instead of aborting the read; an unclosed quote is contained to the line
// it opened on, so one bad row cannot swallow the rest of the file.
// Memory stays flat: the file is read in fixed-size chunks, never loaded whole.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::io {

struct CsvRecord {
    std::vector<std::string_view> fields; // valid until the next call to Next()
    std::int64_t line = 0;                // physical line on which the record starts
    int line_count = 1;                   // physical lines it spans
    std::string_view raw;                 // the record's text without its line end
    std::string problem;                  // empty when well-formed
    int problem_column = 0;               // 1-based field index of the problem
};

class CsvReader {
public:
    // Opens `path` ('-' for stdin); gzip is detected from the content, not the name.
    explicit CsvReader(const std::string& path, char delimiter = ',');
    ~CsvReader();
    CsvReader(const CsvReader&) = delete;
    CsvReader& operator=(const CsvReader&) = delete;

    // Reads the next record; false at end of file. Blank lines are skipped (they still count as lines).
    bool Next(CsvRecord& record);

    const std::string& path() const { return path_; }
    bool had_bom() const { return had_bom_; }
    std::uint64_t bytes_consumed() const { return consumed_before_buffer_ + pos_; } // decompressed bytes
    std::uint64_t compressed_position() const; // position in the file on disk, for progress
    std::uint64_t file_size() const { return file_size_; }

private:
    bool Fill(); // appends more data to the buffer; false at end of input
    bool ParseRecord(CsvRecord& record);

    std::string path_;
    char delim_;
    struct Source;
    std::unique_ptr<Source> source_;
    std::vector<char> buf_;
    std::size_t pos_ = 0;  // start of unparsed data
    std::size_t end_ = 0;  // end of valid data
    bool eof_ = false;
    bool had_bom_ = false;
    bool started_ = false;
    std::int64_t line_ = 1;
    std::uint64_t consumed_before_buffer_ = 0;
    std::uint64_t file_size_ = 0;
    std::string scratch_; // unescaped quoted fields
    std::size_t header_fields_ = 0;
    bool unclosed_retry_ = false;
};

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates).
bool IsValidUtf8(std::string_view s);

// Trims ASCII spaces and tabs at both ends.
std::string_view Trim(std::string_view s);

} // namespace vigil::io
