#pragma once
// Runs fn(i) for i = 0..n-1 on up to `threads` threads (0: one per processor), each index exactly once. The
// first exception any call throws (by index order) is rethrown after every thread has stopped.
#include <cstddef>
#include <functional>

namespace vigil {

void ParallelFor(std::size_t n, const std::function<void(std::size_t)>& fn, unsigned threads = 0);

} // namespace vigil
