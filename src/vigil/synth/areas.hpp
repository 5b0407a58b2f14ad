#pragma once
// Area attributes of the synthetic city: a spatially smooth deprivation score (IMD-like: a west-east
// gradient plus a few Gaussian bumps plus noise) and resident population by LSOA, year, sex and 5-year
// age band (a London-like pyramid, tilted younger in deprived LSOAs, growing slowly each year).
#include <cstdint>
#include <filesystem>
#include <vector>

#include "vigil/synth/city.hpp"
#include "vigil/synth/geography.hpp"
#include "vigil/synth/model.hpp"

namespace vigil::synth {

struct AreaAttributes {
    int first_year = 0;
    int years = 0;
    std::vector<double> imd_score; // per LSOA, higher = more deprived
    std::vector<int> imd_rank;     // 1 = most deprived within the city
    std::vector<int> imd_decile;   // 1 = most deprived tenth
    std::vector<double> dep_z;     // (score - mean) / sd, the covariate of the rate model
    double imd_mean = 0;
    double imd_sd = 0;
    std::vector<std::int32_t> population; // [((lsoa * years + year_idx) * kSexes + sex) * kAgeBands + band]

    std::int32_t Population(int lsoa, int year_idx, int sex, int band) const {
        return population[static_cast<std::size_t>(((lsoa * years + year_idx) * kSexes + sex) * kAgeBands + band)];
    }
    std::int64_t TotalPopulation(int lsoa, int year_idx) const;
};

AreaAttributes BuildAreaAttributes(const CityOptions& options, const Geography& geography);

// population.csv (area_code,year,sex,age_band,population) and deprivation.csv; return data rows.
std::uint64_t WritePopulation(const std::filesystem::path& file, const Geography& geography,
                              const AreaAttributes& areas);
std::uint64_t WriteDeprivation(const std::filesystem::path& file, const Geography& geography,
                               const AreaAttributes& areas);

} // namespace vigil::synth
