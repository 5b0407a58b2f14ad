#pragma once
// Keyed pseudonyms for direct identifiers (NHS number, name, date of birth, address, postcode): HMAC-SHA256
// (RFC 2104, FIPS 198-1) under a secret key held by the data controller, so the same person gets the same
// pseudonym in every source while nobody without the key can reverse or recompute it. Values are normalised
// first (case, spaces, punctuation) so that trivially different spellings agree.
// The key comes from VIGIL_PSEUDONYM_KEY_FILE (a file holding at least 32 bytes of key material) or
// VIGIL_PSEUDONYM_KEY (the key itself, at least 32 characters); see docs/PRIVACY.md.
#include <optional>
#include <string>
#include <string_view>

namespace vigil::ingest {

class Pseudonymiser {
public:
    explicit Pseudonymiser(std::string key);
    // The key from the environment (file first), or nullopt when none is configured.
    static std::optional<Pseudonymiser> FromEnvironment();
    static std::optional<Pseudonymiser> FromKeyFile(const std::string& path);

    // 32 lower-case hex digits (the first 128 bits of the HMAC), prefixed by the kind: "nhs_number:ab12...".
    std::string Pseudonym(std::string_view kind, std::string_view value) const;

private:
    std::string key_;
};

std::string NormaliseIdentifier(std::string_view value);

} // namespace vigil::ingest
