// Where the readers get their bytes from: a ByteSource hands out byte ranges of one file,
// either views into a local memory map (no copy) or buffers fetched on demand, e.g. by a
// bucket's ranged GET. IndexReader and ChunkSegmentReader read only through it, each read
// asking for just the range it decodes, so the same readers serve local blocks and blocks in
// object storage.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "tsdb/fileutil/file_util.h"

namespace strata::tsdb {

// Bytes read from a ByteSource: a view that, when the source had to copy, shares ownership
// of the buffer (copying a ByteView never copies bytes).
class ByteView {
 public:
  ByteView() = default;
  // A view of memory that outlives it (a mapping).
  ByteView(const uint8_t* p, size_t n) : p_(p), n_(n) {}
  // Takes the buffer.
  explicit ByteView(std::vector<uint8_t> owned);
  const uint8_t* data() const { return p_; }
  size_t size() const { return n_; }
  bool empty() const { return n_ == 0; }
  // [off, off + n) of this view, sharing its buffer; the caller keeps it in range.
  ByteView sub(size_t off, size_t n) const {
    ByteView v = *this;
    v.p_ += off;
    v.n_ = n;
    return v;
  }
  // True when the bytes live in a buffer owned by the view(s), not in a mapping.
  bool owning() const { return owned_ != nullptr; }

 private:
  std::shared_ptr<const std::vector<uint8_t>> owned_;
  const uint8_t* p_ = nullptr;
  size_t n_ = 0;
};

// One file's bytes. Implementations are thread-safe: one source may serve concurrent reads.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual uint64_t size() const = 0;
  // The bytes [offset, offset + length). Throws std::runtime_error (naming the source) when
  // the range is outside [0, size()) or the fetch fails or comes back short.
  virtual ByteView read(uint64_t offset, uint64_t length) const = 0;
  // For messages: a path, or a bucket object name.
  virtual const std::string& name() const = 0;
  // True when read() returns views into memory that lives as long as the source.
  bool zeroCopy() const { return mapped() != nullptr; }
  // The whole file in memory for sources that have it (a mapping), else nullptr: readers
  // take their zero-copy fast path through it.
  virtual const uint8_t* mapped() const { return nullptr; }
  // read() clamped to the end of the source: [offset, min(offset + length, size())).
  ByteView readUpTo(uint64_t offset, uint64_t length) const;

 protected:
  // Throws the std::runtime_error read() promises for a range past the end.
  [[noreturn]] void outOfRange(uint64_t offset, uint64_t length) const;
};

// A local file, memory-mapped whole: reads are views into the mapping (no copy, no syscall).
class MmapByteSource final : public ByteSource {
 public:
  explicit MmapByteSource(const std::string& path) : file_(path) {}
  uint64_t size() const override { return file_.size(); }
  // Inline: this is every local index and chunk read.
  ByteView read(uint64_t offset, uint64_t length) const override {
    if (offset > file_.size() || length > file_.size() - offset) outOfRange(offset, length);
    return ByteView(file_.data() + offset, size_t(length));
  }
  const std::string& name() const override { return file_.path(); }
  const uint8_t* mapped() const override { return file_.data(); }

 private:
  MappedFile file_;
};

// Ranges fetched by a callback (a bucket's getRange plugs in here). The callback must be
// thread-safe and return exactly `length` bytes, or throw.
class CallbackByteSource final : public ByteSource {
 public:
  using Fetch = std::function<std::vector<uint8_t>(uint64_t offset, uint64_t length)>;
  CallbackByteSource(std::string name, uint64_t size, Fetch fetch)
      : name_(std::move(name)), size_(size), fetch_(std::move(fetch)) {}
  uint64_t size() const override { return size_; }
  ByteView read(uint64_t offset, uint64_t length) const override;
  const std::string& name() const override { return name_; }

 private:
  std::string name_;
  uint64_t size_;
  Fetch fetch_;
};

}  // namespace strata::tsdb
