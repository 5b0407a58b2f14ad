#pragma once
// Progress of long work and its cancellation. Kernels and ingest report through a Progress; the
// command-line tool draws it as a bar on a terminal (stderr), and stays silent when stderr is not one.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace vigil {

class Progress {
public:
    virtual ~Progress() = default;
    virtual void Start(const std::string& label, std::uint64_t total) = 0; // total 0 when unknown
    virtual void Advance(std::uint64_t done) = 0;                         // absolute amount done
    virtual void Finish() = 0;
};

// Does nothing: the default for library callers and tests.
class NullProgress final : public Progress {
public:
    void Start(const std::string&, std::uint64_t) override {}
    void Advance(std::uint64_t) override {}
    void Finish() override {}
};

// A bar on stderr, redrawn at most ten times a second, only when stderr is a terminal.
class TerminalProgress final : public Progress {
public:
    TerminalProgress();
    void Start(const std::string& label, std::uint64_t total) override;
    void Advance(std::uint64_t done) override;
    void Finish() override;

private:
    void Draw(bool final_draw);
    bool enabled_;
    std::string label_;
    std::uint64_t total_ = 0;
    std::uint64_t done_ = 0;
    std::chrono::steady_clock::time_point last_draw_{};
    std::chrono::steady_clock::time_point started_{};
};

// Set from a signal handler or another thread; long loops poll it and throw Cancelled.
class CancelToken {
public:
    void Cancel() noexcept { flag_.store(true, std::memory_order_relaxed); }
    bool Cancelled() const noexcept { return flag_.load(std::memory_order_relaxed); }

private:
    std::atomic<bool> flag_{false};
};

} // namespace vigil
