#pragma once
// A tiny reader for the peer reference CSVs used by the stats tests (plain comma-separated, header row, no
// quoted fields: a quote makes the test fail rather than be misread). "NA" and "NaN" read as NaN.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace vigil::test {

class ReferenceCsv {
  public:
    explicit ReferenceCsv(const std::filesystem::path& path) : path_(path.string()) {
        std::ifstream in(path);
        if (!in) {
            ADD_FAILURE() << "cannot open " << path_;
            return;
        }
        std::string line;
        bool header = true;
        while (std::getline(in, line)) {
            if (!line.empty() && line.back() == '\r')
                line.pop_back();
            if (line.empty())
                continue;
            if (line.find('"') != std::string::npos)
                ADD_FAILURE() << path_ << ": quoted field, not supported by this reader: " << line;
            std::vector<std::string> fields = Split(line);
            if (header) {
                for (std::size_t i = 0; i < fields.size(); ++i)
                    column_[fields[i]] = i;
                header = false;
            } else {
                if (fields.size() != column_.size())
                    ADD_FAILURE() << path_ << ": " << fields.size() << " fields, header has "
                                  << column_.size();
                rows_.push_back(std::move(fields));
            }
        }
    }

    std::size_t size() const { return rows_.size(); }

    const std::string& Text(std::size_t row, const std::string& column) const {
        static const std::string kEmpty;
        const auto it = column_.find(column);
        if (it == column_.end() || it->second >= rows_.at(row).size()) {
            ADD_FAILURE() << path_ << ": no column " << column;
            return kEmpty;
        }
        return rows_.at(row)[it->second];
    }

    double Number(std::size_t row, const std::string& column) const {
        const std::string& text = Text(row, column);
        if (text == "NA" || text == "NaN")
            return std::numeric_limits<double>::quiet_NaN();
        char* end = nullptr;
        const double value = std::strtod(text.c_str(), &end);
        if (text.empty() || *end != '\0')
            ADD_FAILURE() << path_ << ": row " << row << " column " << column << ": not a number: " << text;
        return value;
    }

  private:
    static std::vector<std::string> Split(const std::string& line) {
        std::vector<std::string> fields(1);
        for (char c : line) {
            if (c == ',')
                fields.emplace_back();
            else
                fields.back() += c;
        }
        return fields;
    }

    std::string path_;
    std::map<std::string, std::size_t> column_;
    std::vector<std::vector<std::string>> rows_;
};

// |a − b| / max(|a|, |b|), 0 when both are 0 (exact zeros in the references must be matched exactly).
inline double RelativeDifference(double a, double b) {
    if (a == b)
        return 0.0;
    return std::fabs(a - b) / std::max(std::fabs(a), std::fabs(b));
}

} // namespace vigil::test
