#pragma once
// Hashes used at ingest: SHA-256 of whole files (batch identity, via OpenSSL), and fast non-cryptographic
// 64- and 128-bit hashes of a row's fields for record identity and change detection. The fast hashes are
// FNV-1a over the bytes with a length-prefixed field encoding, finished with the splitmix64 mixer; they
// guard against accidental collisions only (the data are not adversarial: they come from partners).
#include <cstdint>
#include <string>
#include <string_view>

#include "vigil/store/records.hpp"

namespace vigil::ingest {

std::string Sha256File(const std::string& path); // lower-case hex; throws kIo

class FieldHasher {
public:
    void Add(std::string_view field);
    void Add(std::uint64_t v);
    std::uint64_t Hash64() const;
    store::RecordKey Hash128() const;

private:
    std::uint64_t a_ = 0xcbf29ce484222325ULL; // FNV offset basis
    std::uint64_t b_ = 0x84222325cbf29ce4ULL; // a second, independent lane
};

std::string ToHex(const std::uint8_t* p, std::size_t n);

} // namespace vigil::ingest
