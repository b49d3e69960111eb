#include "index_header_cache.h"

#include <filesystem>
#include <system_error>
#include <vector>

namespace strata::store_gateway {

namespace fs = std::filesystem;

std::string indexHeaderPath(const std::string& cache_dir, const std::string& ulid) {
  return (fs::path(cache_dir) / ulid / "index-header").string();
}

std::shared_ptr<const tsdb::IndexHeader> loadIndexHeader(const std::string& cache_dir,
                                                         const std::string& ulid,
                                                         const tsdb::ByteSource& index,
                                                         bool* built) {
  std::string path = indexHeaderPath(cache_dir, ulid);
  if (built) *built = false;
  std::error_code ec;
  if (fs::exists(path, ec)) {
    try {
      return tsdb::IndexHeader::open(path, index.size());
    } catch (const std::exception&) {
      // Corrupt, another version or another index: rebuilt below.
    }
  }
  fs::create_directories(fs::path(path).parent_path());
  tsdb::buildIndexHeader(index, path);
  if (built) *built = true;
  return tsdb::IndexHeader::open(path, index.size());
}

size_t removeIndexHeadersExcept(const std::string& cache_dir, const std::set<std::string>& keep) {
  std::vector<fs::path> stale;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(cache_dir, ec)) {
    std::string name = entry.path().filename().string();
    if (name.size() != 26 || keep.count(name)) continue;  // a ULID has 26 characters
    if (fs::exists(entry.path() / "index-header", ec)) stale.push_back(entry.path());
  }
  size_t removed = 0;
  for (const auto& dir : stale)
    if (fs::remove_all(dir, ec) > 0 && !ec) ++removed;
  return removed;
}

}  // namespace strata::store_gateway
