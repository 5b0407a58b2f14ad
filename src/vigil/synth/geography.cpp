#include "vigil/synth/geography.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <string_view>
#include <unordered_map>

#include "vigil/core/error.hpp"
#include "vigil/geo/crs.hpp"
#include "vigil/synth/text_out.hpp"

namespace vigil::synth {
namespace {

constexpr std::array<std::string_view, 40> kBoroughNames = {
    "Aldermoor",    "Brackenfield", "Caldergate",  "Dunmere",      "Eastwold",     "Fallowmead",
    "Greyhithe",    "Hollinsby",    "Ironholt",    "Juniper Vale", "Kestrelford",  "Larkhaven",
    "Marlowe Heath", "Nettlecombe", "Oakhurst",    "Pennywell",    "Quillmere",    "Ravensmoor",
    "Saltcote",     "Thornbury Park", "Underhill", "Valewood",     "Wrenfield",    "Yarrowby",
    "Ashcombe",     "Bramblegate",  "Copperdale",  "Dovecote",     "Elmstead Rise", "Foxhollow",
    "Goldhurst",    "Hazelwick",    "Inglemoor",   "Jessop Green", "Kingsbarrow",  "Lindenholm",
    "Millbrook Cross", "Northwold", "Orchard Hythe", "Pellbury"};

constexpr std::array<std::string_view, 48> kStreetStems = {
    "Alder",    "Beacon",   "Birch",    "Bramble",  "Canal",    "Cedar",    "Chapel",   "Cherry",
    "Church",   "Clover",   "Coronation", "Dale",   "Elm",      "Fern",     "Forge",    "Foundry",
    "Garden",   "Hawthorn", "Heath",    "High",     "Holly",    "Ivy",      "Jubilee",  "Kiln",
    "Larch",    "Laurel",   "Linden",   "Maple",    "Market",   "Meadow",   "Mill",     "Moor",
    "Oak",      "Orchard",  "Park",     "Poplar",   "Priory",   "Quarry",   "Railway",  "Rowan",
    "School",   "Spring",   "Station",  "Tanner",   "Victoria", "Water",    "Willow",   "Windmill"};
constexpr std::array<std::string_view, 16> kStreetKinds = {
    "Road", "Street", "Close", "Avenue", "Lane", "Way", "Grove", "Place",
    "Gardens", "Crescent", "Drive", "Terrace", "Walk", "Court", "Rise", "Mews"};
// police.uk's generic map point names.
constexpr std::array<std::string_view, 10> kGenericPlaces = {
    "Parking Area", "Supermarket", "Petrol Station", "Nightclub", "Sports/Recreation Area",
    "Shopping Area", "Park/Open Space", "Further/Higher Educational Building", "Conference/Exhibition Centre",
    "Pedestrian Subway"};

std::string Code(const char* prefix, int number) {
    std::string s(prefix);
    AppendPadded(s, number, 5);
    return s;
}

void AppendJsonString(std::string& out, std::string_view s) {
    out.push_back('"');
    for (char c : s) {
        if (c == '"' || c == '\\') out.push_back('\\');
        out.push_back(c);
    }
    out.push_back('"');
}

double Cross(double ax, double ay, double bx, double by) { return ax * by - ay * bx; }

} // namespace

Geography::Geography(const CityOptions& options) : side_(options.lsoa_side_m) {
    const int n = options.n_lsoas;
    const int nb = options.n_boroughs;
    const int per_borough_max = (n + nb - 1) / nb;
    const int cw = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(per_borough_max))));
    const int ch = (per_borough_max + cw - 1) / cw;
    const int bx = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(nb))));
    cols_ = bx * cw;
    rows_ = ((nb + bx - 1) / bx) * ch;
    x0_ = options.centre_easting - 0.5 * cols_ * side_;
    y0_ = options.centre_northing - 0.5 * rows_ * side_;

    // Shared jittered vertices: every cell stays a convex quadrilateral (jitter < side / 4).
    Rng geometry_rng(options.seed, Stream::kGeometry);
    const double jitter = 0.12 * side_;
    vx_.resize(static_cast<std::size_t>((cols_ + 1) * (rows_ + 1)));
    vy_.resize(vx_.size());
    for (int j = 0; j <= rows_; ++j) {
        for (int i = 0; i <= cols_; ++i) {
            const auto v = static_cast<std::size_t>(Vertex(i, j));
            vx_[v] = std::round(x0_ + i * side_ + geometry_rng.Uniform(-jitter, jitter)) + 0.5;
            vy_[v] = std::round(y0_ + j * side_ + geometry_rng.Uniform(-jitter, jitter)) + 0.5;
        }
    }

    cell_lsoa_.assign(static_cast<std::size_t>(cols_ * rows_), -1);
    boroughs_.resize(static_cast<std::size_t>(nb));
    int lsoa_idx = 0;
    for (int b = 0; b < nb; ++b) {
        BoroughArea& borough = boroughs_[static_cast<std::size_t>(b)];
        borough.code = Code("E099", b + 1);
        borough.name = std::string(kBoroughNames[static_cast<std::size_t>(b) % kBoroughNames.size()]);
        if (b >= static_cast<int>(kBoroughNames.size())) {
            borough.name += " " + std::to_string(b / static_cast<int>(kBoroughNames.size()) + 1);
        }
        const int count = n / nb + (b < n % nb ? 1 : 0);
        const int block_col = (b % bx) * cw;
        const int block_row = (b / bx) * ch;
        for (int k = 0; k < count; ++k) {
            const int local_row = k / cw;
            int local_col = k % cw;
            if (local_row % 2 == 1) local_col = cw - 1 - local_col;
            LsoaArea lsoa;
            lsoa.borough = b;
            lsoa.col = block_col + local_col;
            lsoa.row = block_row + local_row;
            cell_lsoa_[static_cast<std::size_t>(lsoa.row * cols_ + lsoa.col)] = lsoa_idx;
            borough.lsoas.push_back(lsoa_idx);
            lsoas_.push_back(std::move(lsoa));
            ++lsoa_idx;
        }
        // MSOAs: runs of lsoas_per_msoa; a short remainder joins the previous run.
        const int per = std::max(1, options.lsoas_per_msoa);
        int msoa_number = 0;
        for (int start = 0; start < count;) {
            int len = std::min(per, count - start);
            const int rest = count - start - len;
            if (rest > 0 && rest < (per + 1) / 2) len += rest;
            MsoaArea msoa;
            msoa.borough = b;
            ++msoa_number;
            msoa.code = Code("E029", static_cast<int>(msoas_.size()) + 1);
            msoa.name = borough.name + " ";
            AppendPadded(msoa.name, msoa_number, 3);
            for (int k = 0; k < len; ++k) {
                const int l = borough.lsoas[static_cast<std::size_t>(start + k)];
                LsoaArea& lsoa = lsoas_[static_cast<std::size_t>(l)];
                lsoa.msoa = static_cast<int>(msoas_.size());
                lsoa.code = Code("E019", l + 1);
                lsoa.name = msoa.name;
                if (k < 26) {
                    lsoa.name.push_back(static_cast<char>('A' + k));
                } else {
                    lsoa.name.push_back(static_cast<char>('A' + k / 26 - 1));
                    lsoa.name.push_back(static_cast<char>('A' + k % 26));
                }
                msoa.lsoas.push_back(l);
            }
            msoas_.push_back(std::move(msoa));
            start += len;
        }
    }

    // Map points (police.uk snaps every crime to one of a fixed set of points per area).
    std::vector<double> px, py;
    std::vector<std::string> street;
    std::vector<double> weights;
    for (std::size_t l = 0; l < lsoas_.size(); ++l) {
        Rng rng(options.seed, Stream::kMapPoints, l);
        const auto count = 8 + rng.UniformInt(12);
        weights.clear();
        for (std::uint64_t k = 0; k < count; ++k) {
            double e = 0, nn = 0;
            CellPoint(static_cast<int>(l), rng.Uniform(0.06, 0.94), rng.Uniform(0.06, 0.94), e, nn);
            MapPoint point;
            point.easting = std::round(e);
            point.northing = std::round(nn);
            std::string name;
            if (rng.Bernoulli(0.15)) {
                name += kGenericPlaces[rng.UniformInt(kGenericPlaces.size())];
            } else {
                name += kStreetStems[rng.UniformInt(kStreetStems.size())];
                name += ' ';
                name += kStreetKinds[rng.UniformInt(kStreetKinds.size())];
            }
            point.street = name;
            street.push_back("On or near " + name);
            px.push_back(point.easting);
            py.push_back(point.northing);
            weights.push_back(0.2 + rng.Exponential(1.0));
            lsoas_[l].points.push_back(std::move(point));
        }
        lsoas_[l].point_choice = Discrete(weights);
    }

    geo::CrsTransform to_wgs84("EPSG:27700", "EPSG:4326");
    vlon_ = vx_;
    vlat_ = vy_;
    to_wgs84.ApplyInPlace(vlon_, vlat_);
    to_wgs84.ApplyInPlace(px, py);
    for (double v : vlon_) {
        if (!std::isfinite(v)) ThrowInternal("synth: PROJ could not convert the city's vertices to WGS84");
    }
    std::size_t k = 0;
    for (LsoaArea& lsoa : lsoas_) {
        for (MapPoint& point : lsoa.points) {
            std::string& f = point.fragment;
            AppendFixed(f, px[k], 6);
            f.push_back(',');
            AppendFixed(f, py[k], 6);
            f.push_back(',');
            AppendField(f, street[k]);
            f.push_back(',');
            f += lsoa.code;
            f.push_back(',');
            AppendField(f, lsoa.name);
            ++k;
        }
    }

    for (BoroughArea& borough : boroughs_) {
        const double inf = std::numeric_limits<double>::infinity();
        borough.min_e = borough.min_n = borough.min_lon = borough.min_lat = inf;
        borough.max_e = borough.max_n = borough.max_lon = borough.max_lat = -inf;
        for (int l : borough.lsoas) {
            int c[4];
            Corners(l, c);
            for (int v : c) {
                const auto vi = static_cast<std::size_t>(v);
                borough.min_e = std::min(borough.min_e, vx_[vi]);
                borough.max_e = std::max(borough.max_e, vx_[vi]);
                borough.min_n = std::min(borough.min_n, vy_[vi]);
                borough.max_n = std::max(borough.max_n, vy_[vi]);
                borough.min_lon = std::min(borough.min_lon, vlon_[vi]);
                borough.max_lon = std::max(borough.max_lon, vlon_[vi]);
                borough.min_lat = std::min(borough.min_lat, vlat_[vi]);
                borough.max_lat = std::max(borough.max_lat, vlat_[vi]);
            }
        }
    }
}

void Geography::Corners(int lsoa, int out[4]) const {
    const LsoaArea& a = lsoas_[static_cast<std::size_t>(lsoa)];
    out[0] = Vertex(a.col, a.row);
    out[1] = Vertex(a.col + 1, a.row);
    out[2] = Vertex(a.col + 1, a.row + 1);
    out[3] = Vertex(a.col, a.row + 1);
}

void Geography::CellPoint(int lsoa, double u, double v, double& easting, double& northing) const {
    int c[4];
    Corners(lsoa, c);
    const double w[4] = {(1 - u) * (1 - v), u * (1 - v), u * v, (1 - u) * v};
    easting = 0;
    northing = 0;
    for (int k = 0; k < 4; ++k) {
        easting += w[k] * vx_[static_cast<std::size_t>(c[k])];
        northing += w[k] * vy_[static_cast<std::size_t>(c[k])];
    }
}

double Geography::CentreEasting(int lsoa) const {
    double e = 0, n = 0;
    CellPoint(lsoa, 0.5, 0.5, e, n);
    return e;
}

double Geography::CentreNorthing(int lsoa) const {
    double e = 0, n = 0;
    CellPoint(lsoa, 0.5, 0.5, e, n);
    return n;
}

double Geography::EdgeDistance(int lsoa, double easting, double northing) const {
    int c[4];
    Corners(lsoa, c);
    double best = std::numeric_limits<double>::infinity();
    for (int k = 0; k < 4; ++k) {
        const auto a = static_cast<std::size_t>(c[k]);
        const auto b = static_cast<std::size_t>(c[(k + 1) % 4]);
        const double ex = vx_[b] - vx_[a];
        const double ey = vy_[b] - vy_[a];
        // Signed distance, positive on the inner (left) side of a counter-clockwise edge.
        const double d = Cross(ex, ey, easting - vx_[a], northing - vy_[a]) / std::hypot(ex, ey);
        best = std::min(best, d);
    }
    return best;
}

int Geography::Locate(double easting, double northing) const {
    const auto col = static_cast<int>(std::floor((easting - x0_) / side_));
    const auto row = static_cast<int>(std::floor((northing - y0_) / side_));
    for (int dr = 0; dr < 3; ++dr) {
        for (int dc = 0; dc < 3; ++dc) {
            // Centre cell first, then its neighbours (jitter moves edges by less than a cell).
            const int c = col + (dc == 0 ? 0 : (dc == 1 ? -1 : 1));
            const int r = row + (dr == 0 ? 0 : (dr == 1 ? -1 : 1));
            if (c < 0 || r < 0 || c >= cols_ || r >= rows_) continue;
            const int l = cell_lsoa_[static_cast<std::size_t>(r * cols_ + c)];
            if (l >= 0 && EdgeDistance(l, easting, northing) >= 0.0) return l;
        }
    }
    return -1;
}

int Geography::NearestMapPoint(int lsoa, double easting, double northing) const {
    const auto& points = lsoas_[static_cast<std::size_t>(lsoa)].points;
    int best = 0;
    double best_d = std::numeric_limits<double>::infinity();
    for (std::size_t k = 0; k < points.size(); ++k) {
        const double dx = points[k].easting - easting;
        const double dy = points[k].northing - northing;
        const double d = dx * dx + dy * dy;
        if (d < best_d) {
            best_d = d;
            best = static_cast<int>(k);
        }
    }
    return best;
}

void Geography::CityBox(double& min_e, double& max_e, double& min_n, double& max_n) const {
    min_e = *std::min_element(vx_.begin(), vx_.end());
    max_e = *std::max_element(vx_.begin(), vx_.end());
    min_n = *std::min_element(vy_.begin(), vy_.end());
    max_n = *std::max_element(vy_.begin(), vy_.end());
}

std::vector<std::vector<int>> Geography::Outline(const std::vector<int>& lsoa_members) const {
    std::vector<char> member(cell_lsoa_.size(), 0);
    for (int l : lsoa_members) {
        const LsoaArea& a = lsoas_[static_cast<std::size_t>(l)];
        member[static_cast<std::size_t>(a.row * cols_ + a.col)] = 1;
    }
    auto is_member = [&](int c, int r) {
        return c >= 0 && r >= 0 && c < cols_ && r < rows_ && member[static_cast<std::size_t>(r * cols_ + c)];
    };
    struct Edge {
        int from, to;
    };
    std::vector<Edge> edges;
    for (int l : lsoa_members) {
        const LsoaArea& a = lsoas_[static_cast<std::size_t>(l)];
        int c[4];
        Corners(l, c);
        const int neighbour_dc[4] = {0, 1, 0, -1};
        const int neighbour_dr[4] = {-1, 0, 1, 0};
        for (int k = 0; k < 4; ++k) {
            if (!is_member(a.col + neighbour_dc[k], a.row + neighbour_dr[k])) edges.push_back({c[k], c[(k + 1) % 4]});
        }
    }
    std::unordered_map<int, std::vector<std::size_t>> by_start;
    for (std::size_t e = 0; e < edges.size(); ++e) by_start[edges[e].from].push_back(e);
    std::vector<char> used(edges.size(), 0);
    std::vector<std::vector<int>> rings;
    for (std::size_t first = 0; first < edges.size(); ++first) {
        if (used[first]) continue;
        std::vector<int> ring{edges[first].from};
        std::size_t e = first;
        for (;;) {
            used[e] = 1;
            const int at = edges[e].to;
            ring.push_back(at);
            if (at == ring.front()) break;
            std::size_t next = edges.size();
            for (std::size_t cand : by_start[at]) {
                if (!used[cand]) {
                    next = cand;
                    break;
                }
            }
            if (next == edges.size()) ThrowInternal("synth: open boundary ring while tracing an outline");
            e = next;
        }
        rings.push_back(std::move(ring));
    }
    return rings;
}

void Geography::WriteBoundaries(const std::filesystem::path& dir) const {
    std::filesystem::create_directories(dir);
    auto write_layer = [&](const std::string& file, const std::string& layer, std::size_t count, auto properties,
                           auto members) {
        TextFile out(dir / file);
        std::string s = "{\n\"type\": \"FeatureCollection\",\n\"name\": ";
        AppendJsonString(s, layer);
        s += ",\n\"crs\": { \"type\": \"name\", \"properties\": { \"name\": \"urn:ogc:def:crs:OGC:1.3:CRS84\" } },\n";
        s += "\"features\": [\n";
        out.Put(s);
        for (std::size_t f = 0; f < count; ++f) {
            s = "{ \"type\": \"Feature\", \"properties\": { ";
            properties(f, s);
            const auto rings = Outline(members(f));
            s += " }, \"geometry\": { \"type\": ";
            s += rings.size() == 1 ? "\"Polygon\", \"coordinates\": [ " : "\"MultiPolygon\", \"coordinates\": [ ";
            for (std::size_t r = 0; r < rings.size(); ++r) {
                if (r > 0) s += ", ";
                s += rings.size() == 1 ? "[ " : "[ [ ";
                for (std::size_t k = 0; k < rings[r].size(); ++k) {
                    const auto v = static_cast<std::size_t>(rings[r][k]);
                    if (k > 0) s += ", ";
                    s += "[ ";
                    AppendFixed(s, vlon_[v], 6);
                    s += ", ";
                    AppendFixed(s, vlat_[v], 6);
                    s += " ]";
                }
                s += rings.size() == 1 ? " ]" : " ] ]";
            }
            s += " ] } }";
            s += f + 1 < count ? ",\n" : "\n";
            out.Put(s);
        }
        out.Put("]\n}\n");
        out.Close();
    };
    auto prop = [](std::string& s, std::string_view key, std::string_view value, bool first = false) {
        if (!first) s += ", ";
        AppendJsonString(s, key);
        s += ": ";
        AppendJsonString(s, value);
    };
    write_layer(
        "lsoa.geojson", "synth-lsoa21", lsoas_.size(),
        [&](std::size_t f, std::string& s) {
            const LsoaArea& a = lsoas_[f];
            const MsoaArea& m = msoas_[static_cast<std::size_t>(a.msoa)];
            const BoroughArea& b = boroughs_[static_cast<std::size_t>(a.borough)];
            prop(s, "LSOA21CD", a.code, true);
            prop(s, "LSOA21NM", a.name);
            prop(s, "MSOA21CD", m.code);
            prop(s, "MSOA21NM", m.name);
            prop(s, "LAD22CD", b.code);
            prop(s, "LAD22NM", b.name);
        },
        [&](std::size_t f) { return std::vector<int>{static_cast<int>(f)}; });
    write_layer(
        "msoa.geojson", "synth-msoa21", msoas_.size(),
        [&](std::size_t f, std::string& s) {
            const MsoaArea& m = msoas_[f];
            const BoroughArea& b = boroughs_[static_cast<std::size_t>(m.borough)];
            prop(s, "MSOA21CD", m.code, true);
            prop(s, "MSOA21NM", m.name);
            prop(s, "LAD22CD", b.code);
            prop(s, "LAD22NM", b.name);
        },
        [&](std::size_t f) { return msoas_[f].lsoas; });
    write_layer(
        "borough.geojson", "synth-lad22", boroughs_.size(),
        [&](std::size_t f, std::string& s) {
            prop(s, "LAD22CD", boroughs_[f].code, true);
            prop(s, "LAD22NM", boroughs_[f].name);
        },
        [&](std::size_t f) { return boroughs_[f].lsoas; });
}

} // namespace vigil::synth
