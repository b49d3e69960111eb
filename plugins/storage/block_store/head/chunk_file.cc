#include "head/chunk_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "head/mem_series.h"

namespace fs = std::filesystem;

namespace strata::block_store {
namespace {

// A view covers at least this much, then twice the file: a segment grows by small appends.
constexpr size_t kMinView = size_t{16} << 20;

}  // namespace

ChunkFile::ChunkFile(std::string dir, int64_t block_duration)
    : dir_(std::move(dir)), block_duration_(block_duration) {
  std::error_code ec;
  fs::remove_all(dir_, ec);
  fs::create_directories(dir_, ec);
  if (ec) throw std::runtime_error("cannot create " + dir_ + ": " + ec.message());
}

ChunkFile::~ChunkFile() {
  dropAll();
  std::error_code ec;
  fs::remove(dir_, ec);
}

int64_t ChunkFile::segmentOf(int64_t t) const { return floorDiv(t, block_duration_); }

bool ChunkFile::write(int64_t min_t, const uint8_t* data, size_t len, uint64_t* offset) {
  int64_t k = segmentOf(min_t);
  auto it = segments_.find(k);
  if (it == segments_.end()) {
    Segment s;
    s.path = dir_ + "/" + std::to_string(k);
    s.fd = ::open(s.path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (s.fd < 0) return false;
    it = segments_.emplace(k, std::move(s)).first;
  }
  Segment& s = it->second;
  size_t done = 0;
  while (done < len) {
    ssize_t n = ::pwrite(s.fd, data + done, len - done, static_cast<off_t>(s.size + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;  // the partial tail is never referenced: size is not advanced
    done += static_cast<size_t>(n);
  }
  *offset = s.size;
  s.size += len;
  return true;
}

bool ChunkFile::cover(const Segment& s, uint64_t end) {
  if (end <= s.map_len) return true;
  if (s.map) ::munmap(const_cast<uint8_t*>(s.map), s.map_len);
  s.map = nullptr;
  s.map_len = 0;
  size_t len = std::max<size_t>(kMinView, 2 * s.size);
  void* p = ::mmap(nullptr, len, PROT_READ, MAP_SHARED, s.fd, 0);
  if (p == MAP_FAILED) return false;
  s.map = static_cast<const uint8_t*>(p);
  s.map_len = len;
  return true;
}

void ChunkFile::close(Segment& s) {
  if (s.map) ::munmap(const_cast<uint8_t*>(s.map), s.map_len);
  ::close(s.fd);
  ::unlink(s.path.c_str());
}

void ChunkFile::read(int64_t min_t, uint64_t offset, size_t len, uint8_t* out) const {
  auto it = segments_.find(segmentOf(min_t));
  if (it == segments_.end()) throw std::runtime_error("head chunk segment missing");
  const Segment& s = it->second;
  if (offset + len > s.size) {
    throw std::runtime_error("reading head chunk " + s.path + ": past the end of the segment");
  }
  if (!cover(s, offset + len)) {
    throw std::runtime_error("mapping head chunk segment " + s.path + ": " + std::strerror(errno));
  }
  std::memcpy(out, s.map + offset, len);
}

void ChunkFile::dropBefore(int64_t t) {
  for (auto it = segments_.begin(); it != segments_.end();) {
    if ((it->first + 1) * block_duration_ > t) break;
    close(it->second);
    it = segments_.erase(it);
  }
}

void ChunkFile::dropAll() {
  for (auto& [k, s] : segments_) close(s);
  segments_.clear();
}

uint64_t ChunkFile::bytesOnDisk() const {
  uint64_t n = 0;
  for (const auto& [k, s] : segments_) n += s.size;
  return n;
}

}  // namespace strata::block_store
