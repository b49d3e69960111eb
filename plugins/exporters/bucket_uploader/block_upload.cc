#include "block_upload.h"

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <vector>

namespace fs = std::filesystem;

namespace strata::uploader {

bool blockDirExists(const std::string& dir) {
  std::error_code ec;
  return fs::is_regular_file(fs::path(dir) / "meta.json", ec);
}

UploadResult uploadBlock(bucket::Bucket& bucket, const std::string& dir, const std::string& ulid) {
  if (!blockDirExists(dir)) throw std::runtime_error("block " + ulid + ": no meta.json in " + dir);
  std::vector<fs::path> files;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    fs::path rel = fs::relative(it->path(), dir, ec);
    if (ec) break;
    if (rel == "meta.json") continue;  // last, below
    files.push_back(rel);
  }
  if (ec) throw std::runtime_error("block " + ulid + ": cannot list " + dir + ": " + ec.message());
  std::sort(files.begin(), files.end());
  UploadResult result;
  auto ship = [&](const fs::path& rel) {
    fs::path local = fs::path(dir) / rel;
    std::error_code size_ec;
    uint64_t size = fs::file_size(local, size_ec);
    bucket.uploadFile(ulid + "/" + rel.generic_string(), local.string());
    result.bytes += size_ec ? 0 : size;
    ++result.files;
  };
  for (const auto& rel : files) ship(rel);
  ship("meta.json");
  return result;
}

}  // namespace strata::uploader
