#include "vigil/core/progress.hpp"

#include <cstdio>
#include <unistd.h>

namespace vigil {

TerminalProgress::TerminalProgress() : enabled_(isatty(STDERR_FILENO) == 1) {}

void TerminalProgress::Start(const std::string& label, std::uint64_t total) {
    label_ = label;
    total_ = total;
    done_ = 0;
    started_ = std::chrono::steady_clock::now();
    last_draw_ = {};
}

void TerminalProgress::Advance(std::uint64_t done) {
    done_ = done;
    if (!enabled_) return;
    auto now = std::chrono::steady_clock::now();
    if (now - last_draw_ < std::chrono::milliseconds(100)) return;
    last_draw_ = now;
    Draw(false);
}

void TerminalProgress::Finish() {
    if (!enabled_) return;
    done_ = total_ ? total_ : done_;
    Draw(true);
    std::fputc('\n', stderr);
}

void TerminalProgress::Draw(bool) {
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    if (total_ > 0) {
        double frac = static_cast<double>(done_) / static_cast<double>(total_);
        if (frac > 1) frac = 1;
        const int width = 30;
        int filled = static_cast<int>(frac * width);
        char bar[width + 1];
        for (int i = 0; i < width; ++i) bar[i] = i < filled ? '#' : '.';
        bar[width] = 0;
        std::fprintf(stderr, "\r%-28.28s [%s] %5.1f%% %6.1fs", label_.c_str(), bar, frac * 100.0, secs);
    } else {
        std::fprintf(stderr, "\r%-28.28s %llu %6.1fs", label_.c_str(), static_cast<unsigned long long>(done_), secs);
    }
    std::fflush(stderr);
}

} // namespace vigil
