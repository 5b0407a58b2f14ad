#include "vigil/model/category.hpp"

#include "vigil/core/error.hpp"

namespace vigil {
namespace {

struct NodeSpec {
    const char* code;
    const char* label;
    int depth;
};

// Pre-order listing; depth gives the parent.
constexpr NodeSpec kTree[] = {
    {"all_crime", "All crime", 0},
    {"violence_and_sexual_offences", "Violence and sexual offences", 1},
    {"violence_against_the_person", "Violence against the person", 2},
    {"homicide", "Homicide", 3},
    {"violence_with_injury", "Violence with injury", 3},
    {"violence_without_injury", "Violence without injury", 3},
    {"stalking_and_harassment", "Stalking and harassment", 3},
    {"sexual_offences", "Sexual offences", 2},
    {"rape", "Rape", 3},
    {"other_sexual_offences", "Other sexual offences", 3},
    {"robbery", "Robbery", 1},
    {"possession_of_weapons", "Possession of weapons", 1},
    {"public_order", "Public order", 1},
    {"anti_social_behaviour", "Anti-social behaviour", 1},
    {"burglary", "Burglary", 1},
    {"criminal_damage_and_arson", "Criminal damage and arson", 1},
    {"drugs", "Drugs", 1},
    {"bicycle_theft", "Bicycle theft", 1},
    {"other_theft", "Other theft", 1},
    {"shoplifting", "Shoplifting", 1},
    {"theft_from_the_person", "Theft from the person", 1},
    {"vehicle_crime", "Vehicle crime", 1},
    {"other_crime", "Other crime", 1},
};

} // namespace

const CategoryTree& CategoryTree::Standard() {
    static const CategoryTree tree = [] {
        CategoryTree t;
        std::vector<CategoryId> stack;
        for (const NodeSpec& s : kTree) {
            Category c;
            c.id = static_cast<CategoryId>(t.nodes_.size());
            c.code = s.code;
            c.label = s.label;
            c.subtree_end = c.id;
            stack.resize(static_cast<std::size_t>(s.depth));
            if (s.depth > 0) c.parent = stack.back();
            stack.push_back(c.id);
            for (std::size_t d = 0; d + 1 < stack.size(); ++d) t.nodes_[stack[d]].subtree_end = c.id;
            t.nodes_.push_back(c);
        }
        return t;
    }();
    return tree;
}

std::optional<CategoryId> CategoryTree::Find(std::string_view code) const {
    for (const Category& c : nodes_)
        if (c.code == code) return c.id;
    return std::nullopt;
}

CategoryId CategoryTree::Require(std::string_view code) const {
    if (auto id = Find(code)) return *id;
    ThrowInvalidInput("unknown category '" + std::string(code) + "'; expected one of: " + CodesList());
}

std::string CategoryTree::CodesList() const {
    std::string out;
    for (const Category& c : nodes_) {
        if (!out.empty()) out += ", ";
        out += c.code;
    }
    return out;
}

const char* WeaponCode(Weapon w) {
    switch (w) {
    case Weapon::kUnknown: return "unknown";
    case Weapon::kKnifeOrSharp: return "knife_or_sharp";
    case Weapon::kGun: return "gun";
    case Weapon::kCorrosive: return "corrosive";
    case Weapon::kBlunt: return "blunt";
    case Weapon::kBody: return "body";
    case Weapon::kOther: return "other";
    case Weapon::kNone: return "none";
    }
    return "unknown";
}

std::optional<Weapon> ParseWeaponCode(std::string_view code) {
    for (int i = 0; i <= static_cast<int>(Weapon::kNone); ++i) {
        auto w = static_cast<Weapon>(i);
        if (code == WeaponCode(w)) return w;
    }
    return std::nullopt;
}

const char* SexCode(Sex s) {
    switch (s) {
    case Sex::kUnknown: return "unknown";
    case Sex::kMale: return "male";
    case Sex::kFemale: return "female";
    }
    return "unknown";
}

} // namespace vigil
