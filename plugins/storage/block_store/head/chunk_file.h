// Sealed head chunks on disk instead of the heap (the idea of Prometheus' chunks_head): a
// sealed chunk is immutable until its block is written, and queries read it rarely, so its
// bytes go to an append-only segment file per block range and the series keeps only
// (offset, length). The files are a cache, not a log: the WAL still holds every sample, so
// the directory is wiped when a head opens and rebuilt by replay. Written without fsync;
// read through a shared mapping of each segment, i.e. straight from the page cache (which is
// not the process' RSS) without a system call per chunk: a large select reads thousands.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

namespace strata::block_store {

// THREAD: not synchronised; the owning Head's lock guards it.
class ChunkFile {
 public:
  // Creates (and empties) `dir`. Throws std::runtime_error when it cannot.
  ChunkFile(std::string dir, int64_t block_duration);
  ~ChunkFile();  // closes and removes every segment
  ChunkFile(const ChunkFile&) = delete;
  ChunkFile& operator=(const ChunkFile&) = delete;

  // Appends the bytes of a chunk whose first sample is at min_t; false on an I/O error (the
  // caller keeps that chunk in memory instead).
  bool write(int64_t min_t, const uint8_t* data, size_t len, uint64_t* offset);
  // A chunk's bytes in place: valid while `*keep` lives, even after the segment is dropped
  // (its pages stay mapped). Throws std::runtime_error when the chunk cannot be mapped.
  const uint8_t* view(int64_t min_t, uint64_t offset, size_t len,
                      std::shared_ptr<const void>* keep) const;
  // Copies a chunk out; throws as view() does.
  void read(int64_t min_t, uint64_t offset, size_t len, uint8_t* out) const;
  // Removes the segments of block ranges that end at or before t.
  void dropBefore(int64_t t);
  void dropAll();
  uint64_t bytesOnDisk() const;

 private:
  // A read-only mapping of a segment, unmapped when the last holder lets go. It reaches past
  // the file's end so that appends rarely need a new one; only bytes below the segment's
  // size are ever touched (a page past the end would fault).
  struct Mapping {
    const uint8_t* base = nullptr;
    size_t len = 0;
    ~Mapping();
  };
  struct Segment {
    int fd = -1;
    uint64_t size = 0;
    std::string path;
    mutable std::shared_ptr<const Mapping> map;  // replaced when the file outgrows it
  };
  int64_t segmentOf(int64_t t) const;
  const Segment& segmentFor(int64_t min_t, uint64_t offset, size_t len) const;
  static void close(Segment& s);

  const std::string dir_;
  const int64_t block_duration_;
  std::map<int64_t, Segment> segments_;  // by block range index
};

}  // namespace strata::block_store
