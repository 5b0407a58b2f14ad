#include "vigil/ingest/pseudonymiser.hpp"

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "vigil/core/error.hpp"
#include "vigil/ingest/hashing.hpp"

namespace vigil::ingest {

namespace {
constexpr std::size_t kMinKeyBytes = 32;
}

Pseudonymiser::Pseudonymiser(std::string key) : key_(std::move(key)) {
    if (key_.size() < kMinKeyBytes)
        ThrowInvalidInput("the pseudonymisation key is " + std::to_string(key_.size()) + " bytes; at least " +
                          std::to_string(kMinKeyBytes) + " are required (e.g. `openssl rand -hex 32 > key`)");
}

std::optional<Pseudonymiser> Pseudonymiser::FromKeyFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) ThrowIo(path + ": cannot read the pseudonymisation key file");
    std::string key((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    while (!key.empty() && (key.back() == '\n' || key.back() == '\r')) key.pop_back();
    return Pseudonymiser(std::move(key));
}

std::optional<Pseudonymiser> Pseudonymiser::FromEnvironment() {
    if (const char* file = std::getenv("VIGIL_PSEUDONYM_KEY_FILE"); file && *file) return FromKeyFile(file);
    if (const char* key = std::getenv("VIGIL_PSEUDONYM_KEY"); key && *key) return Pseudonymiser(key);
    return std::nullopt;
}

std::string NormaliseIdentifier(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (unsigned char c : value) {
        if (std::isalnum(c)) out.push_back(static_cast<char>(std::tolower(c)));
        else if (c >= 0x80) out.push_back(static_cast<char>(c));
    }
    return out;
}

std::string Pseudonymiser::Pseudonym(std::string_view kind, std::string_view value) const {
    std::string msg(kind);
    msg.push_back('\x1f');
    msg += NormaliseIdentifier(value);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    if (!HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
              reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), md, &len))
        ThrowInternal("HMAC-SHA256 failed");
    return std::string(kind) + ":" + ToHex(md, 16);
}

} // namespace vigil::ingest
