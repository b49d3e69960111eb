// Small POSIX file helpers shared by the block writer and reader: buffered sequential writes
// with fsync, directory fsync, and read-only memory maps.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace strata::tsdb {

// Throws std::runtime_error "<what> <path>: <strerror>".
[[noreturn]] void throwErrno(const std::string& what, const std::string& path);

class FileWriter {
 public:
  explicit FileWriter(std::string path);  // creates/truncates
  ~FileWriter();
  FileWriter(const FileWriter&) = delete;
  FileWriter& operator=(const FileWriter&) = delete;

  void write(const uint8_t* p, size_t n);
  void write(const std::vector<uint8_t>& b) { write(b.data(), b.size()); }
  // Zero bytes until pos() is a multiple of align.
  void pad(size_t align);
  uint64_t pos() const { return pos_; }
  // Hands the buffered bytes to the kernel (so the file can be read back), no fsync.
  void flush();
  // Flushes, fsyncs and closes.
  void close();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
  uint64_t pos_ = 0;
  std::vector<uint8_t> buf_;
};

void fsyncDir(const std::string& dir);

// A read-only mapping of a whole file (empty files map to nothing).
class MappedFile {
 public:
  explicit MappedFile(const std::string& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace strata::tsdb
