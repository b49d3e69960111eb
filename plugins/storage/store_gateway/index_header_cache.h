// The index-headers of the loaded blocks on local disk: <cache_dir>/<ulid>/index-header
// (format in tsdb/index/index_header.h). Built from the bucket the first time a block is
// loaded, reused by later loads and restarts, rebuilt when it does not parse (corrupt, another
// version, another index), removed when its block left the bucket.
#pragma once

#include <memory>
#include <set>
#include <string>

#include "tsdb/fileutil/byte_source.h"
#include "tsdb/index/index_header.h"

namespace strata::store_gateway {

std::string indexHeaderPath(const std::string& cache_dir, const std::string& ulid);

// The header of `index` (block `ulid`): the file if it is good, else built from `index`.
// *built says whether it was (re)built. Throws std::runtime_error for a corrupt index or an
// I/O error.
std::shared_ptr<const tsdb::IndexHeader> loadIndexHeader(const std::string& cache_dir,
                                                         const std::string& ulid,
                                                         const tsdb::ByteSource& index,
                                                         bool* built = nullptr);

// Removes the <cache_dir>/<ULID>/ directories holding an index-header whose ULID is not in
// `keep`; other entries of cache_dir are left alone. Returns how many it removed.
size_t removeIndexHeadersExcept(const std::string& cache_dir, const std::set<std::string>& keep);

}  // namespace strata::store_gateway
