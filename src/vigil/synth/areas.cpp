#include "vigil/synth/areas.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "vigil/synth/rng.hpp"
#include "vigil/synth/text_out.hpp"

namespace vigil::synth {

std::int64_t AreaAttributes::TotalPopulation(int lsoa, int year_idx) const {
    const auto begin = static_cast<std::size_t>((lsoa * years + year_idx) * kCells);
    return std::accumulate(population.begin() + static_cast<std::ptrdiff_t>(begin),
                           population.begin() + static_cast<std::ptrdiff_t>(begin + kCells), std::int64_t{0});
}

AreaAttributes BuildAreaAttributes(const CityOptions& options, const Geography& geography) {
    AreaAttributes out;
    out.first_year = options.first_year;
    out.years = options.years;
    const auto n = geography.lsoas().size();

    double min_e = 0, max_e = 0, min_n = 0, max_n = 0;
    geography.CityBox(min_e, max_e, min_n, max_n);
    const double extent = std::max(max_e - min_e, max_n - min_n);
    Rng rng(options.seed, Stream::kDeprivation);
    struct Bump {
        double e, n, height, sigma;
    };
    std::vector<Bump> bumps(3);
    for (Bump& b : bumps) {
        b.e = rng.Uniform(min_e, max_e);
        b.n = rng.Uniform(min_n, max_n);
        b.height = rng.Uniform(10.0, 20.0);
        b.sigma = extent * rng.Uniform(0.08, 0.2);
    }
    out.imd_score.resize(n);
    for (std::size_t l = 0; l < n; ++l) {
        const double e = geography.CentreEasting(static_cast<int>(l));
        const double nn = geography.CentreNorthing(static_cast<int>(l));
        double score = 8.0 + 22.0 * (e - min_e) / std::max(1.0, max_e - min_e);
        for (const Bump& b : bumps) {
            const double d2 = (e - b.e) * (e - b.e) + (nn - b.n) * (nn - b.n);
            score += b.height * std::exp(-d2 / (2.0 * b.sigma * b.sigma));
        }
        score += rng.Normal(0.0, 4.0);
        // Published IMD scores carry three decimals.
        out.imd_score[l] = std::round(std::clamp(score, 1.0, 85.0) * 1000.0) / 1000.0;
    }
    std::vector<int> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return out.imd_score[static_cast<std::size_t>(a)] > out.imd_score[static_cast<std::size_t>(b)]; });
    out.imd_rank.resize(n);
    out.imd_decile.resize(n);
    for (std::size_t r = 0; r < n; ++r) {
        const auto l = static_cast<std::size_t>(order[r]);
        out.imd_rank[l] = static_cast<int>(r) + 1;
        out.imd_decile[l] = 1 + static_cast<int>(r * 10 / n);
    }
    double sum = 0, sum2 = 0;
    for (double s : out.imd_score) sum += s;
    out.imd_mean = sum / static_cast<double>(n);
    for (double s : out.imd_score) sum2 += (s - out.imd_mean) * (s - out.imd_mean);
    out.imd_sd = n > 1 ? std::sqrt(sum2 / static_cast<double>(n - 1)) : 0.0;
    out.dep_z.resize(n);
    for (std::size_t l = 0; l < n; ++l) {
        out.dep_z[l] = out.imd_sd > 0 ? (out.imd_score[l] - out.imd_mean) / out.imd_sd : 0.0;
    }

    // Population: a total per LSOA, a pyramid tilted by deprivation, slow growth; counts by largest
    // remainder so each year's cells add up to that year's rounded total exactly.
    out.population.assign(n * static_cast<std::size_t>(options.years) * kCells, 0);
    for (std::size_t l = 0; l < n; ++l) {
        Rng prng(options.seed, Stream::kPopulation, l);
        const double total0 = prng.Uniform(1500.0, 2000.0);
        const double tilt = 0.15 * out.dep_z[l] + prng.Normal(0.0, 0.1);
        const double growth = prng.Normal(0.006, 0.008);
        double shares[kCells];
        double share_sum = 0;
        for (int a = 0; a < kAgeBands; ++a) {
            const double band = kBasePyramid[static_cast<std::size_t>(a)] *
                                std::exp(tilt * kYouthTilt[static_cast<std::size_t>(a)]);
            shares[a] = band * kMaleShare[static_cast<std::size_t>(a)];
            shares[kAgeBands + a] = band * (1.0 - kMaleShare[static_cast<std::size_t>(a)]);
            share_sum += band;
        }
        for (int y = 0; y < options.years; ++y) {
            const double total = std::round(total0 * std::exp(growth * y));
            double expected[kCells];
            std::int32_t counts[kCells];
            std::pair<double, int> remainders[kCells];
            std::int64_t assigned = 0;
            for (int c = 0; c < kCells; ++c) {
                expected[c] = total * shares[c] / share_sum;
                counts[c] = static_cast<std::int32_t>(std::floor(expected[c]));
                assigned += counts[c];
                remainders[c] = {expected[c] - counts[c], c};
            }
            std::stable_sort(std::begin(remainders), std::end(remainders),
                             [](const auto& a, const auto& b) { return a.first > b.first; });
            for (auto k = static_cast<std::int64_t>(total) - assigned, i = std::int64_t{0}; k > 0; --k, ++i) {
                ++counts[remainders[i % kCells].second];
            }
            const auto base = (l * static_cast<std::size_t>(options.years) + static_cast<std::size_t>(y)) * kCells;
            std::copy(std::begin(counts), std::end(counts), out.population.begin() + static_cast<std::ptrdiff_t>(base));
        }
    }
    return out;
}

std::uint64_t WritePopulation(const std::filesystem::path& file, const Geography& geography,
                              const AreaAttributes& areas) {
    TextFile out(file);
    out.Put("area_code,year,sex,age_band,population");
    out.EndRow();
    for (std::size_t l = 0; l < geography.lsoas().size(); ++l) {
        for (int y = 0; y < areas.years; ++y) {
            for (int s = 0; s < kSexes; ++s) {
                for (int a = 0; a < kAgeBands; ++a) {
                    out.Put(geography.lsoas()[l].code).Put(',').Int(areas.first_year + y).Put(',');
                    out.Put(kSexLabels[static_cast<std::size_t>(s)]).Put(',');
                    out.Put(kAgeBandLabels[static_cast<std::size_t>(a)]).Put(',');
                    out.Int(areas.Population(static_cast<int>(l), y, s, a));
                    out.EndRow();
                }
            }
        }
    }
    const auto rows = out.rows() - 1;
    out.Close();
    return rows;
}

std::uint64_t WriteDeprivation(const std::filesystem::path& file, const Geography& geography,
                               const AreaAttributes& areas) {
    TextFile out(file);
    out.Put("lsoa_code,imd_score,imd_rank,imd_decile");
    out.EndRow();
    for (std::size_t l = 0; l < geography.lsoas().size(); ++l) {
        out.Put(geography.lsoas()[l].code).Put(',').Fixed(areas.imd_score[l], 3).Put(',');
        out.Int(areas.imd_rank[l]).Put(',').Int(areas.imd_decile[l]);
        out.EndRow();
    }
    const auto rows = out.rows() - 1;
    out.Close();
    return rows;
}

} // namespace vigil::synth
