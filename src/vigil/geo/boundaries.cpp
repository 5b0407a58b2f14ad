#include "vigil/geo/boundaries.hpp"

#include <cctype>
#include <filesystem>
#include <memory>
#include <optional>
#include <unordered_set>

#include <gdal_priv.h>
#include <ogr_api.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include "vigil/core/error.hpp"
#include "vigil/geo/gdal_support.hpp"

namespace vigil::geo {
namespace {

// Finest level first: when a file carries several (an LSOA file also lists its MSOA and borough),
// the finest is the area the polygon outlines.
const char* const kCodePatterns[] = {"OA*CD",  "LSOA*CD",  "MSOA*CD", "WD*CD",
                                     "LAD*CD", "GSS_CODE", "CODE",    "area_code"};
const char* const kNamePatterns[] = {"OA*NM", "LSOA*NM", "MSOA*NM", "WD*NM", "LAD*NM", "NAME", "area_name"};
// The borough is the parent that matters most for a VRU; the MSOA is a fallback.
const char* const kParentPatterns[] = {"LAD*CD", "LAGSSCODE", "parent_code", "MSOA*CD"};

char Upper(char c) {
    return static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
}

bool EqualsIgnoreCase(const std::string& a, const std::string& b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (Upper(a[i]) != Upper(b[i]))
            return false;
    }
    return true;
}

std::string Trim(const std::string& s) {
    std::size_t b = 0, e = s.size();
    while (b < e && std::isspace(static_cast<unsigned char>(s[b])))
        ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1])))
        --e;
    return s.substr(b, e - b);
}

std::string JoinFields(const std::vector<std::string>& fields) {
    if (fields.empty())
        return "(none)";
    std::string out;
    for (const auto& f : fields)
        out += (out.empty() ? "" : ", ") + f;
    return out;
}

// Index into `fields` of the first field matching the first pattern that matches anything; -1 if none.
int Detect(const std::vector<std::string>& fields, const char* const* begin, const char* const* end,
           int exclude) {
    for (auto p = begin; p != end; ++p) {
        for (std::size_t i = 0; i < fields.size(); ++i) {
            if (static_cast<int>(i) != exclude && FieldNameMatches(fields[i], *p))
                return static_cast<int>(i);
        }
    }
    return -1;
}

int FindField(const std::vector<std::string>& fields, const std::string& name) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (EqualsIgnoreCase(fields[i], name))
            return static_cast<int>(i);
    }
    return -1;
}

// Name of a CRS for reports: "AUTH:code" when PROJ's database identifies it (ESRI .prj files carry no
// authority, so ask for the best match), else the CRS's own name.
std::string CrsLabel(const OGRSpatialReference& srs) {
    const char* auth = srs.GetAuthorityName(nullptr);
    const char* code = srs.GetAuthorityCode(nullptr);
    if (auth != nullptr && code != nullptr)
        return std::string(auth) + ":" + code;
    int n = 0;
    int* confidence = nullptr;
    OGRSpatialReferenceH* matches = srs.FindMatches(nullptr, &n, &confidence);
    std::string label;
    if (matches != nullptr && n > 0 && confidence[0] >= 70) {
        const auto* best = OGRSpatialReference::FromHandle(matches[0]);
        const char* a = best->GetAuthorityName(nullptr);
        const char* c = best->GetAuthorityCode(nullptr);
        if (a != nullptr && c != nullptr)
            label = std::string(a) + ":" + c;
    }
    OSRFreeSRSArray(matches);
    CPLFree(confidence);
    if (!label.empty())
        return label;
    const char* name = srs.GetName();
    return name != nullptr ? name : "unnamed CRS";
}

// Keeps only the polygonal parts of what MakeValid returned (it can add stray lines or points).
std::unique_ptr<OGRGeometry> PolygonalPart(std::unique_ptr<OGRGeometry> g) {
    const auto type = wkbFlatten(g->getGeometryType());
    if (type == wkbPolygon || type == wkbMultiPolygon)
        return g;
    if (type != wkbGeometryCollection)
        return nullptr;
    auto multi = std::make_unique<OGRMultiPolygon>();
    for (const OGRGeometry* part : *g->toGeometryCollection()) {
        const auto pt = wkbFlatten(part->getGeometryType());
        if (pt == wkbPolygon) {
            multi->addGeometry(part);
        } else if (pt == wkbMultiPolygon) {
            for (const OGRPolygon* poly : *part->toMultiPolygon())
                multi->addGeometry(poly);
        }
    }
    if (multi->IsEmpty())
        return nullptr;
    return multi;
}

} // namespace

bool FieldNameMatches(const std::string& field, const std::string& pattern) {
    std::size_t f = 0;
    for (std::size_t p = 0; p < pattern.size(); ++p) {
        if (pattern[p] == '*') {
            const std::size_t start = f;
            while (f < field.size() && std::isdigit(static_cast<unsigned char>(field[f])))
                ++f;
            if (f == start)
                return false;
        } else {
            if (f >= field.size() || Upper(field[f]) != Upper(pattern[p]))
                return false;
            ++f;
        }
    }
    return f == field.size();
}

BoundaryLoad LoadBoundaries(const std::string& path, const BoundaryOptions& options) {
    detail::EnsureGdalRegistered();
    detail::QuietGdalErrors quiet;

    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        ThrowIo("cannot open boundary file '" + path + "': no such file");
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    if (!ds) {
        ThrowIo("cannot open boundary file '" + path +
                "' as a vector dataset (GeoJSON, Shapefile, GeoPackage, ...): " +
                detail::QuietGdalErrors::LastMessage());
    }

    OGRLayer* layer = nullptr;
    if (options.layer.empty()) {
        if (ds->GetLayerCount() == 0)
            ThrowData("boundary file '" + path + "' has no layers");
        layer = ds->GetLayer(0);
    } else {
        layer = ds->GetLayerByName(options.layer.c_str());
        if (layer == nullptr) {
            std::vector<std::string> names;
            for (int i = 0; i < ds->GetLayerCount(); ++i)
                names.emplace_back(ds->GetLayer(i)->GetName());
            ThrowInvalidInput("boundary file '" + path + "' has no layer '" + options.layer +
                              "'; layers present: " + JoinFields(names));
        }
    }

    BoundaryLoad load;

    OGRSpatialReference source;
    if (const OGRSpatialReference* declared = layer->GetSpatialRef(); declared != nullptr) {
        source = *declared;
    } else if (!options.assume_crs.empty()) {
        if (source.SetFromUserInput(options.assume_crs.c_str()) != OGRERR_NONE) {
            ThrowInvalidInput("unknown coordinate reference system '" + options.assume_crs +
                              "' given as assume_crs (expected e.g. EPSG:27700)");
        }
        load.warnings.push_back("'" + path + "' declares no coordinate reference system; assumed " +
                                options.assume_crs);
    } else {
        ThrowData(
            "boundary file '" + path +
            "' declares no coordinate reference system; give assume_crs (e.g. EPSG:27700) if you know it");
    }
    source.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    load.source_crs = CrsLabel(source);

    OGRSpatialReference bng;
    bng.importFromEPSG(27700);
    bng.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::unique_ptr<OGRCoordinateTransformation> to_bng;
    if (!source.IsSame(&bng)) {
        to_bng.reset(OGRCreateCoordinateTransformation(&source, &bng));
        if (!to_bng) {
            ThrowData("boundary file '" + path + "': no transformation from " + load.source_crs +
                      " to EPSG:27700: " + detail::QuietGdalErrors::LastMessage());
        }
    }

    const OGRFeatureDefn* defn = layer->GetLayerDefn();
    std::vector<std::string> fields;
    for (int i = 0; i < defn->GetFieldCount(); ++i)
        fields.emplace_back(defn->GetFieldDefn(i)->GetNameRef());

    auto explicit_field = [&](const std::string& name, const char* role) {
        const int idx = FindField(fields, name);
        if (idx < 0) {
            ThrowInvalidInput("boundary file '" + path + "' has no " + role + " field '" + name +
                              "'; fields present: " + JoinFields(fields));
        }
        return idx;
    };
    const int code_idx = !options.code_field.empty()
                             ? explicit_field(options.code_field, "code")
                             : Detect(fields, std::begin(kCodePatterns), std::end(kCodePatterns), -1);
    if (code_idx < 0) {
        ThrowData(
            "boundary file '" + path +
            "' has no area code field (looked for LSOA21CD, LSOA11CD, MSOA*CD, WD*CD, LAD*CD, GSS_CODE, "
            "CODE, area_code); fields present: " +
            JoinFields(fields) + ". Name it with the code field option");
    }
    int name_idx = -1;
    if (!options.name_field.empty()) {
        name_idx = explicit_field(options.name_field, "name");
    } else {
        // The name that goes with the code (LSOA11CD -> LSOA11NM) beats the generic list.
        const std::string& code_name = fields[static_cast<std::size_t>(code_idx)];
        if (code_name.size() > 2 && EqualsIgnoreCase(code_name.substr(code_name.size() - 2), "CD")) {
            name_idx = FindField(fields, code_name.substr(0, code_name.size() - 2) + "NM");
        }
        if (name_idx < 0)
            name_idx = Detect(fields, std::begin(kNamePatterns), std::end(kNamePatterns), code_idx);
    }
    const int parent_idx = !options.parent_field.empty() ? explicit_field(options.parent_field, "parent")
                                                         : Detect(fields, std::begin(kParentPatterns),
                                                                  std::end(kParentPatterns), code_idx);
    auto field_name = [&](int idx) {
        return idx < 0 ? std::string() : fields[static_cast<std::size_t>(idx)];
    };
    load.code_field = field_name(code_idx);
    load.name_field = field_name(name_idx);
    load.parent_field = field_name(parent_idx);

    std::unordered_set<std::string> seen;
    layer->ResetReading();
    for (auto& feature : *layer) {
        const std::string code = Trim(feature->GetFieldAsString(code_idx));
        const std::string where =
            "'" + path + "' feature " + std::to_string(feature->GetFID()) + " (code '" + code + "')";
        if (code.empty()) {
            load.warnings.push_back(where + ": empty " + load.code_field + "; skipped");
            continue;
        }
        if (seen.count(code) != 0) {
            load.warnings.push_back(where + ": duplicate code; kept the first feature with this code");
            continue;
        }
        std::unique_ptr<OGRGeometry> geom(feature->StealGeometry());
        if (!geom || geom->IsEmpty()) {
            load.warnings.push_back(where + ": empty geometry; skipped");
            continue;
        }
        geom->flattenTo2D();
        if (geom->hasCurveGeometry())
            geom.reset(geom->getLinearGeometry());
        const auto type = wkbFlatten(geom->getGeometryType());
        if (type != wkbPolygon && type != wkbMultiPolygon) {
            load.warnings.push_back(where + ": geometry is " + OGRGeometryTypeToName(type) +
                                    ", not a polygon; skipped");
            continue;
        }
        if (to_bng && geom->transform(to_bng.get()) != OGRERR_NONE) {
            load.warnings.push_back(where + ": cannot transform to EPSG:27700; skipped");
            continue;
        }
        if (!geom->IsValid()) {
            const std::string reason = detail::QuietGdalErrors::LastMessage();
            std::unique_ptr<OGRGeometry> fixed(geom->MakeValid());
            if (fixed)
                fixed = PolygonalPart(std::move(fixed));
            if (!fixed) {
                load.warnings.push_back(where + ": invalid geometry (" + reason +
                                        ") that MakeValid cannot repair; skipped");
                continue;
            }
            load.warnings.push_back(where + ": invalid geometry (" + reason + "); repaired with MakeValid");
            geom = std::move(fixed);
        }

        AreaFeature f;
        f.code = code;
        if (name_idx >= 0)
            f.name = Trim(feature->GetFieldAsString(name_idx));
        if (parent_idx >= 0)
            f.parent_code = Trim(feature->GetFieldAsString(parent_idx));
        OGREnvelope env;
        geom->getEnvelope(&env);
        f.min_x = env.MinX;
        f.min_y = env.MinY;
        f.max_x = env.MaxX;
        f.max_y = env.MaxY;
        f.area_m2 = OGR_G_Area(OGRGeometry::ToHandle(geom.get()));
        OGRPoint centroid;
        if (geom->Centroid(&centroid) == OGRERR_NONE && !centroid.IsEmpty()) {
            f.centroid_x = centroid.getX();
            f.centroid_y = centroid.getY();
        } else {
            f.centroid_x = (env.MinX + env.MaxX) / 2;
            f.centroid_y = (env.MinY + env.MaxY) / 2;
        }
        f.wkb.resize(geom->WkbSize());
        geom->exportToWkb(wkbNDR, f.wkb.data(), wkbVariantIso);
        seen.insert(code);
        load.features.push_back(std::move(f));
    }
    if (load.features.empty()) {
        std::string detail = load.warnings.empty() ? std::string("the layer is empty") : load.warnings.back();
        ThrowData("boundary file '" + path + "' has no usable area features (" + detail + ")");
    }
    return load;
}

} // namespace vigil::geo
