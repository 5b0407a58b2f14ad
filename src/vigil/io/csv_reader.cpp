#include "vigil/io/csv_reader.hpp"

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <zlib.h>

#include "vigil/core/error.hpp"

namespace vigil::io {

namespace {
constexpr std::size_t kChunk = 1 << 20;
// A quoted field that has not closed after this many bytes is taken to be a stray quote (a shorter stray
// quote is caught when the record it swallows comes out with the wrong number of fields).
constexpr std::size_t kMaxQuotedSpan = std::size_t{64} << 20;
} // namespace

struct CsvReader::Source {
    gzFile gz = nullptr;
    ~Source() {
        if (gz) gzclose(gz);
    }
};

CsvReader::CsvReader(const std::string& path, char delimiter)
    : path_(path), delim_(delimiter), source_(std::make_unique<Source>()) {
    if (path == "-") {
        source_->gz = gzdopen(0, "rb");
    } else {
        std::error_code ec;
        if (std::filesystem::is_directory(path, ec)) ThrowIo(path + ": is a directory, expected a CSV file");
        file_size_ = std::filesystem::file_size(path, ec);
        if (ec) ThrowIo(path + ": cannot open: " + ec.message());
        source_->gz = gzopen(path.c_str(), "rb");
    }
    if (!source_->gz) ThrowIo(path + ": cannot open: " + std::strerror(errno));
    gzbuffer(source_->gz, 256 * 1024);
    buf_.resize(kChunk * 2);
}

CsvReader::~CsvReader() = default;

std::uint64_t CsvReader::compressed_position() const {
    z_off_t off = gzoffset(source_->gz);
    return off < 0 ? 0 : static_cast<std::uint64_t>(off);
}

bool CsvReader::Fill() {
    if (eof_) return false;
    // Keep the unparsed tail, move it to the front.
    if (pos_ > 0) {
        std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
        consumed_before_buffer_ += pos_;
        end_ -= pos_;
        pos_ = 0;
    }
    if (buf_.size() - end_ < kChunk) buf_.resize(end_ + kChunk);
    int n = gzread(source_->gz, buf_.data() + end_, static_cast<unsigned>(buf_.size() - end_));
    if (n < 0) {
        int err = 0;
        const char* msg = gzerror(source_->gz, &err);
        ThrowIo(path_ + ": read failed after " + std::to_string(bytes_consumed()) + " bytes: " + msg);
    }
    if (n == 0) {
        eof_ = true;
        int err = 0;
        gzerror(source_->gz, &err);
        if (err != Z_OK && err != Z_STREAM_END) ThrowIo(path_ + ": truncated or corrupt gzip stream");
        return false;
    }
    end_ += static_cast<std::size_t>(n);
    return true;
}

bool CsvReader::Next(CsvRecord& rec) {
    if (!started_) {
        started_ = true;
        while (end_ - pos_ < 3 && Fill()) {
        }
        if (end_ - pos_ >= 3 && static_cast<unsigned char>(buf_[pos_]) == 0xEF &&
            static_cast<unsigned char>(buf_[pos_ + 1]) == 0xBB && static_cast<unsigned char>(buf_[pos_ + 2]) == 0xBF) {
            pos_ += 3;
            had_bom_ = true;
        }
    }
    for (;;) {
        if (pos_ >= end_ && !Fill()) return false;
        // Skip blank lines.
        char c = buf_[pos_];
        if (c == '\n') {
            ++pos_;
            ++line_;
            continue;
        }
        if (c == '\r') {
            if (pos_ + 1 >= end_ && !eof_) {
                Fill();
                continue;
            }
            ++pos_;
            if (pos_ < end_ && buf_[pos_] == '\n') ++pos_;
            ++line_;
            continue;
        }
        return ParseRecord(rec);
    }
}

// Parses one record starting at pos_. Fields point into buf_ when unquoted, into scratch_ when quoted.
bool CsvReader::ParseRecord(CsvRecord& rec) {
    for (;;) {
        rec.fields.clear();
        rec.problem.clear();
        rec.problem_column = 0;
        scratch_.clear();
        // Offsets first; string_views are made once the buffer can no longer move.
        struct Span {
            bool in_scratch;
            std::size_t begin, len;
        };
        thread_local std::vector<Span> spans;
        spans.clear();
        std::size_t i = pos_;
        int newlines = 0;
        int first_multiline = -1; // index of the first quoted field that crossed a line end
        bool need_more = false;
        bool unclosed = false;
        for (;;) { // one field per iteration
            if (i >= end_) {
                if (!eof_) {
                    need_more = true;
                    break;
                }
                spans.push_back({false, i, 0});
                break;
            }
            if (buf_[i] == '"') {
                std::size_t start = scratch_.size();
                std::size_t j = i + 1;
                bool closed = false;
                for (;;) {
                    const char* p = static_cast<const char*>(std::memchr(buf_.data() + j, '"', end_ - j));
                    std::size_t q = p ? static_cast<std::size_t>(p - buf_.data()) : end_;
                    for (std::size_t k = j; k < q; ++k)
                        if (buf_[k] == '\n') ++newlines;
                    scratch_.append(buf_.data() + j, q - j);
                    if (q >= end_) break;
                    if (q + 1 >= end_ && !eof_) break; // cannot tell "" from " yet
                    if (q + 1 < end_ && buf_[q + 1] == '"') {
                        scratch_.push_back('"');
                        j = q + 2;
                        continue;
                    }
                    closed = true;
                    j = q + 1;
                    break;
                }
                if (!closed) {
                    if (!eof_ && (end_ - pos_) < kMaxQuotedSpan) {
                        need_more = true;
                        break;
                    }
                    unclosed = true;
                    break;
                }
                if (first_multiline < 0 && scratch_.find('\n', start) != std::string::npos)
                    first_multiline = static_cast<int>(spans.size());
                spans.push_back({true, start, scratch_.size() - start});
                i = j;
                if (i >= end_ && !eof_) {
                    need_more = true;
                    break;
                }
                if (i < end_ && buf_[i] != delim_ && buf_[i] != '\n' && buf_[i] != '\r') {
                    if (rec.problem.empty()) {
                        rec.problem = "text after the closing quote of a quoted field";
                        rec.problem_column = static_cast<int>(spans.size());
                    }
                    // Take the rest of the field as part of it, so the record keeps its shape.
                    while (i < end_ && buf_[i] != delim_ && buf_[i] != '\n' && buf_[i] != '\r') ++i;
                    if (i >= end_ && !eof_) {
                        need_more = true;
                        break;
                    }
                }
            } else {
                std::size_t j = i;
                while (j < end_) {
                    char c = buf_[j];
                    if (c == delim_ || c == '\n' || c == '\r') break;
                    if (c == '"' && rec.problem.empty()) {
                        rec.problem = "stray quote inside an unquoted field";
                        rec.problem_column = static_cast<int>(spans.size()) + 1;
                    }
                    ++j;
                }
                if (j >= end_ && !eof_) {
                    need_more = true;
                    break;
                }
                spans.push_back({false, i, j - i});
                i = j;
            }
            if (i >= end_) break; // end of input closes the record
            char c = buf_[i];
            if (c == delim_) {
                ++i;
                if (i >= end_ && eof_) {
                    spans.push_back({false, i, 0});
                    break;
                }
                continue;
            }
            break; // line end
        }
        if (need_more && !unclosed_retry_) {
            std::size_t before = end_ - pos_;
            Fill();
            if (end_ - pos_ == before && !eof_) ThrowInternal("CSV reader made no progress");
            continue;
        }
        if (unclosed || unclosed_retry_) {
            if (unclosed_retry_ && first_multiline >= 0) spans.resize(static_cast<std::size_t>(first_multiline));
            unclosed_retry_ = false;
            // Contain the damage: the record is the rest of its first physical line.
            std::size_t j = pos_;
            while (j < end_ && buf_[j] != '\n' && buf_[j] != '\r') ++j;
            rec.fields.clear();
            rec.line = line_;
            rec.line_count = 1;
            rec.raw = std::string_view(buf_.data() + pos_, j - pos_);
            rec.problem = "a quoted field is never closed";
            rec.problem_column = static_cast<int>(spans.size()) + 1;
            // The fields before the bad one are still offered, for context.
            for (const Span& s : spans)
                rec.fields.push_back(s.in_scratch ? std::string_view(scratch_).substr(s.begin, s.len)
                                                  : std::string_view(buf_.data() + s.begin, s.len));
            std::size_t next = j;
            if (next < end_ && buf_[next] == '\r') ++next;
            if (next < end_ && buf_[next] == '\n') ++next;
            pos_ = next;
            ++line_;
            return true;
        }
        // i is at the line end (or end of input). A '\r' at the end of the buffer may have its '\n' in the
        // next chunk: read on before deciding where the next record starts.
        if (i + 1 >= end_ && i < end_ && buf_[i] == '\r' && !eof_) {
            std::size_t before = end_ - pos_;
            Fill();
            if (end_ - pos_ == before && !eof_) ThrowInternal("CSV reader made no progress");
            continue;
        }
        std::size_t line_end = i;
        std::size_t next = i;
        if (next < end_ && buf_[next] == '\r') ++next;
        if (next < end_ && buf_[next] == '\n') ++next;
        if (newlines > 0 && header_fields_ > 0 && (spans.size() != header_fields_ || !rec.problem.empty())) {
            // A quoted field ran over line ends and left the record misshapen: far likelier a stray quote
            // than a real multi-line value. Treat it as a quote that never closed.
            unclosed_retry_ = true;
            continue;
        }
        unclosed_retry_ = false;
        for (const Span& s : spans)
            rec.fields.push_back(s.in_scratch ? std::string_view(scratch_).substr(s.begin, s.len)
                                              : std::string_view(buf_.data() + s.begin, s.len));
        if (header_fields_ == 0) header_fields_ = rec.fields.size();
        rec.line = line_;
        rec.line_count = 1 + newlines;
        std::size_t raw_end = line_end;
        rec.raw = std::string_view(buf_.data() + pos_, raw_end - pos_);
        line_ += 1 + newlines;
        pos_ = next;
        return true;
    }
}

bool IsValidUtf8(std::string_view s) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    std::size_t n = s.size(), i = 0;
    while (i < n) {
        // Fast path for ASCII runs, 8 bytes at a time.
        while (i + 8 <= n) {
            std::uint64_t w;
            std::memcpy(&w, p + i, 8);
            if (w & 0x8080808080808080ULL) break;
            i += 8;
        }
        if (i >= n) break;
        unsigned c = p[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        int len;
        unsigned min;
        if ((c & 0xE0) == 0xC0) {
            len = 2;
            min = 0x80;
            c &= 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            min = 0x800;
            c &= 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            min = 0x10000;
            c &= 0x07;
        } else {
            return false;
        }
        if (i + static_cast<std::size_t>(len) > n) return false;
        for (int k = 1; k < len; ++k) {
            unsigned cc = p[i + static_cast<std::size_t>(k)];
            if ((cc & 0xC0) != 0x80) return false;
            c = (c << 6) | (cc & 0x3F);
        }
        if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return false;
        i += static_cast<std::size_t>(len);
    }
    return true;
}

std::string_view Trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

} // namespace vigil::io
