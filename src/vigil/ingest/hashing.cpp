#include "vigil/ingest/hashing.hpp"

#include <cstdio>
#include <memory>
#include <openssl/evp.h>

#include "vigil/core/error.hpp"

namespace vigil::ingest {
namespace {
constexpr std::uint64_t kFnvPrime = 0x100000001b3ULL;

std::uint64_t Mix(std::uint64_t z) {
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
} // namespace

std::string ToHex(const std::uint8_t* p, std::size_t n) {
    static const char* digits = "0123456789abcdef";
    std::string out(n * 2, '0');
    for (std::size_t i = 0; i < n; ++i) {
        out[2 * i] = digits[p[i] >> 4];
        out[2 * i + 1] = digits[p[i] & 15];
    }
    return out;
}

std::string Sha256File(const std::string& path) {
    std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!f) ThrowIo(path + ": cannot open");
    std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
    std::string buf(1 << 20, '\0');
    std::size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), f.get())) > 0) EVP_DigestUpdate(ctx.get(), buf.data(), n);
    if (std::ferror(f.get())) ThrowIo(path + ": read failed");
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    EVP_DigestFinal_ex(ctx.get(), md, &len);
    return ToHex(md, len);
}

void FieldHasher::Add(std::string_view field) {
    Add(static_cast<std::uint64_t>(field.size()));
    for (unsigned char c : field) {
        a_ = (a_ ^ c) * kFnvPrime;
        b_ = (b_ ^ static_cast<unsigned char>(c + 0x5b)) * kFnvPrime;
    }
}

void FieldHasher::Add(std::uint64_t v) {
    for (int i = 0; i < 8; ++i) {
        auto c = static_cast<unsigned char>(v >> (8 * i));
        a_ = (a_ ^ c) * kFnvPrime;
        b_ = (b_ ^ static_cast<unsigned char>(c + 0x5b)) * kFnvPrime;
    }
}

std::uint64_t FieldHasher::Hash64() const { return Mix(a_) ^ (Mix(b_) >> 1); }

store::RecordKey FieldHasher::Hash128() const {
    store::RecordKey k{};
    std::uint64_t h1 = Mix(a_), h2 = Mix(b_ ^ h1);
    for (int i = 0; i < 8; ++i) {
        k[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(h1 >> (8 * i));
        k[static_cast<std::size_t>(8 + i)] = static_cast<std::uint8_t>(h2 >> (8 * i));
    }
    return k;
}

} // namespace vigil::ingest
