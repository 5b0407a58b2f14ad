// Tests of the crime category tree (Home Office offence groups as used by data.police.uk and the Met): every
// expected code sits under the expected parent, subtree ranges agree with walking the parents, and lookups
// of unknown codes fail with a message that lists the valid codes.
#include <map>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "vigil/core/error.hpp"
#include "vigil/model/category.hpp"

namespace vigil {
namespace {

const CategoryTree& Tree() { return CategoryTree::Standard(); }

std::string ParentCode(const std::string& code) {
    const Category& c = Tree().Get(Tree().Require(code));
    return c.parent ? Tree().Get(*c.parent).code : std::string();
}

TEST(CategoryTree, EveryCodeHasTheExpectedParent) {
    const std::map<std::string, std::string> expected = {
        {"all_crime", ""},
        {"violence_and_sexual_offences", "all_crime"},
        {"violence_against_the_person", "violence_and_sexual_offences"},
        {"homicide", "violence_against_the_person"},
        {"violence_with_injury", "violence_against_the_person"},
        {"violence_without_injury", "violence_against_the_person"},
        {"stalking_and_harassment", "violence_against_the_person"},
        {"sexual_offences", "violence_and_sexual_offences"},
        {"rape", "sexual_offences"},
        {"other_sexual_offences", "sexual_offences"},
        {"robbery", "all_crime"},
        {"possession_of_weapons", "all_crime"},
        {"public_order", "all_crime"},
        {"anti_social_behaviour", "all_crime"},
        {"burglary", "all_crime"},
        {"criminal_damage_and_arson", "all_crime"},
        {"drugs", "all_crime"},
        {"bicycle_theft", "all_crime"},
        {"other_theft", "all_crime"},
        {"shoplifting", "all_crime"},
        {"theft_from_the_person", "all_crime"},
        {"vehicle_crime", "all_crime"},
        {"other_crime", "all_crime"},
    };
    for (const auto& [code, parent] : expected) {
        ASSERT_TRUE(Tree().Find(code).has_value()) << code;
        EXPECT_EQ(ParentCode(code), parent) << code;
    }
    // Nothing else in the tree, and no duplicate codes.
    EXPECT_EQ(Tree().All().size(), expected.size());
    std::set<std::string> codes;
    for (const Category& c : Tree().All()) {
        EXPECT_TRUE(codes.insert(c.code).second) << "duplicate " << c.code;
        EXPECT_FALSE(c.label.empty()) << c.code;
    }
}

TEST(CategoryTree, IdsIndexTheNodesInPreOrder) {
    const auto& all = Tree().All();
    ASSERT_FALSE(all.empty());
    EXPECT_EQ(all.front().code, "all_crime");
    EXPECT_FALSE(all.front().parent.has_value());
    EXPECT_EQ(all.front().subtree_end, all.size() - 1);
    for (std::size_t i = 0; i < all.size(); ++i) {
        EXPECT_EQ(all[i].id, i);
        EXPECT_EQ(&Tree().Get(all[i].id), &all[i]);
        EXPECT_GE(all[i].subtree_end, all[i].id);
        if (all[i].parent) {
            EXPECT_LT(*all[i].parent, all[i].id);
        }
    }
}

TEST(CategoryTree, ContainsAgreesWithWalkingParentsForEveryPair) {
    const auto& all = Tree().All();
    for (const Category& anc : all) {
        for (const Category& node : all) {
            bool descends = false;
            for (std::optional<CategoryId> p = node.id; p; p = Tree().Get(*p).parent)
                if (*p == anc.id) descends = true;
            EXPECT_EQ(Tree().Contains(anc.id, node.id), descends) << anc.code << " / " << node.code;
        }
    }
}

TEST(CategoryTree, ContainsNamedCases) {
    auto id = [](const char* code) { return Tree().Require(code); };
    EXPECT_TRUE(Tree().Contains(id("violence_and_sexual_offences"), id("rape")));
    EXPECT_TRUE(Tree().Contains(id("violence_and_sexual_offences"), id("homicide")));
    EXPECT_TRUE(Tree().Contains(id("violence_and_sexual_offences"), id("violence_and_sexual_offences")));
    EXPECT_TRUE(Tree().Contains(id("violence_against_the_person"), id("stalking_and_harassment")));
    EXPECT_TRUE(Tree().Contains(id("all_crime"), id("other_crime")));
    EXPECT_FALSE(Tree().Contains(id("violence_and_sexual_offences"), id("robbery")));
    EXPECT_FALSE(Tree().Contains(id("violence_against_the_person"), id("rape")));
    EXPECT_FALSE(Tree().Contains(id("sexual_offences"), id("homicide")));
    EXPECT_FALSE(Tree().Contains(id("rape"), id("sexual_offences")));
    EXPECT_FALSE(Tree().Contains(id("robbery"), id("all_crime")));
    EXPECT_FALSE(Tree().Contains(id("homicide"), id("violence_with_injury")));
}

TEST(CategoryTree, RequireUnknownCodeThrowsInvalidInputListingCodes) {
    for (const char* bad : {"knife_crime", "", "Robbery", "robbery "}) {
        try {
            Tree().Require(bad);
            ADD_FAILURE() << "no error for '" << bad << "'";
        } catch (const Error& e) {
            EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
            std::string msg = e.what();
            EXPECT_NE(msg.find(std::string("'") + bad + "'"), std::string::npos) << msg;
            EXPECT_NE(msg.find("violence_with_injury"), std::string::npos) << msg;
            EXPECT_NE(msg.find("other_crime"), std::string::npos) << msg;
        }
    }
    EXPECT_FALSE(Tree().Find("knife_crime").has_value());
    EXPECT_EQ(Tree().CodesList().substr(0, 11), "all_crime, ");
}

TEST(CategoryTree, WeaponAndSexCodesRoundTrip) {
    std::set<std::string> seen;
    for (int i = 0; i <= static_cast<int>(Weapon::kNone); ++i) {
        auto w = static_cast<Weapon>(i);
        std::string code = WeaponCode(w);
        EXPECT_TRUE(seen.insert(code).second) << code;
        auto back = ParseWeaponCode(code);
        ASSERT_TRUE(back) << code;
        EXPECT_EQ(*back, w);
    }
    EXPECT_FALSE(ParseWeaponCode("knife"));
    EXPECT_FALSE(ParseWeaponCode(""));
    EXPECT_STREQ(SexCode(Sex::kUnknown), "unknown");
    EXPECT_STREQ(SexCode(Sex::kMale), "male");
    EXPECT_STREQ(SexCode(Sex::kFemale), "female");
}

} // namespace
} // namespace vigil
