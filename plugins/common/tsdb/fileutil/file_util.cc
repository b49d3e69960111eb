#include "tsdb/fileutil/file_util.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace strata::tsdb {
namespace {
constexpr size_t kBufSize = 1 << 20;
}

void throwErrno(const std::string& what, const std::string& path) {
  throw std::runtime_error(what + " " + path + ": " + std::strerror(errno));
}

FileWriter::FileWriter(std::string path) : path_(std::move(path)) {
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) throwErrno("create", path_);
  buf_.reserve(kBufSize);
}

FileWriter::~FileWriter() {
  if (fd_ >= 0) ::close(fd_);
}

void FileWriter::write(const uint8_t* p, size_t n) {
  pos_ += n;
  if (buf_.size() + n > kBufSize) {
    flush();
    if (n >= kBufSize) {
      while (n > 0) {
        ssize_t w = ::write(fd_, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) throwErrno("write", path_);
        p += w;
        n -= size_t(w);
      }
      return;
    }
  }
  buf_.insert(buf_.end(), p, p + n);
}

void FileWriter::pad(size_t align) {
  static const uint8_t kZeros[64] = {};
  size_t rem = pos_ % align;
  if (rem != 0) write(kZeros, align - rem);
}

void FileWriter::flush() {
  const uint8_t* p = buf_.data();
  size_t n = buf_.size();
  while (n > 0) {
    ssize_t w = ::write(fd_, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) throwErrno("write", path_);
    p += w;
    n -= size_t(w);
  }
  buf_.clear();
}

void FileWriter::close() {
  if (fd_ < 0) return;
  flush();
  if (::fsync(fd_) != 0) throwErrno("fsync", path_);
  int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) throwErrno("close", path_);
}

void fsyncDir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throwErrno("open dir", dir);
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throwErrno("fsync dir", dir);
}

MappedFile::MappedFile(const std::string& path) : path_(path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throwErrno("open", path);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    throwErrno("stat", path);
  }
  size_ = size_t(st.st_size);
  if (size_ > 0) {
    void* m = ::mmap(nullptr, size_, PROT_READ, MAP_SHARED, fd, 0);
    if (m == MAP_FAILED) {
      ::close(fd);
      throwErrno("mmap", path);
    }
    data_ = static_cast<const uint8_t*>(m);
  }
  ::close(fd);
}

MappedFile::~MappedFile() {
  if (data_) ::munmap(const_cast<uint8_t*>(data_), size_);
}

}  // namespace strata::tsdb
