#pragma once
// The crime category tree (Home Office offence groups as published on data.police.uk and by the Met).
// A record is stored at the most specific node its source knows; a filter on a node includes all of
// its descendants. docs/CATEGORIES.md lists the tree and every source mapping.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {

using CategoryId = std::uint16_t;

struct Category {
    CategoryId id;
    std::string code;   // e.g. violence_with_injury
    std::string label;  // e.g. Violence with injury
    std::optional<CategoryId> parent;
    CategoryId subtree_end; // ids are in pre-order: descendants of c are (c.id, c.subtree_end]
};

class CategoryTree {
public:
    // The built-in tree (docs/CATEGORIES.md).
    static const CategoryTree& Standard();

    const std::vector<Category>& All() const { return nodes_; }
    const Category& Get(CategoryId id) const { return nodes_.at(id); }
    std::optional<CategoryId> Find(std::string_view code) const;
    // Find or throw an invalid-input error listing the codes.
    CategoryId Require(std::string_view code) const;
    bool Contains(CategoryId ancestor, CategoryId node) const {
        return node >= ancestor && node <= nodes_[ancestor].subtree_end;
    }
    std::string CodesList() const;

private:
    std::vector<Category> nodes_;
};

// Weapon involved, as recorded. Stored as its code string's index.
enum class Weapon : std::uint8_t { kUnknown = 0, kKnifeOrSharp, kGun, kCorrosive, kBlunt, kBody, kOther, kNone };
const char* WeaponCode(Weapon w);
std::optional<Weapon> ParseWeaponCode(std::string_view code);

enum class Sex : std::uint8_t { kUnknown = 0, kMale, kFemale };
const char* SexCode(Sex s); // unknown | male | female

} // namespace vigil
