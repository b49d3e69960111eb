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

ChunkFile::Mapping::~Mapping() {
  if (base) ::munmap(const_cast<uint8_t*>(base), len);
}

void ChunkFile::close(Segment& s) {
  s.map.reset();  // selects still reading it keep their own reference
  ::close(s.fd);
  ::unlink(s.path.c_str());
}

const ChunkFile::Segment& ChunkFile::segmentFor(int64_t min_t, uint64_t offset, size_t len) const {
  auto it = segments_.find(segmentOf(min_t));
  if (it == segments_.end()) throw std::runtime_error("head chunk segment missing");
  const Segment& s = it->second;
  if (offset + len > s.size) {
    throw std::runtime_error("reading head chunk " + s.path + ": past the end of the segment");
  }
  if (!s.map || offset + len > s.map->len) {
    size_t map_len = std::max<size_t>(kMinView, 2 * s.size);
    void* p = ::mmap(nullptr, map_len, PROT_READ, MAP_SHARED, s.fd, 0);
    if (p == MAP_FAILED) {
      throw std::runtime_error("mapping head chunk segment " + s.path + ": " +
                               std::strerror(errno));
    }
    auto m = std::make_shared<Mapping>();
    m->base = static_cast<const uint8_t*>(p);
    m->len = map_len;
    s.map = std::move(m);
  }
  return s;
}

const uint8_t* ChunkFile::view(int64_t min_t, uint64_t offset, size_t len,
                               std::shared_ptr<const void>* keep) const {
  const Segment& s = segmentFor(min_t, offset, len);
  *keep = s.map;
  return s.map->base + offset;
}

void ChunkFile::read(int64_t min_t, uint64_t offset, size_t len, uint8_t* out) const {
  std::memcpy(out, segmentFor(min_t, offset, len).map->base + offset, len);
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
