#include "bucket/filesystem_bucket.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>
#include <system_error>
#include <thread>

namespace strata::bucket {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kTempMarker = ".strata-tmp.";
constexpr size_t kCopyBuffer = 1 << 20;
constexpr int kCreateAttempts = 16;  // retries when a concurrent remove prunes our directory

ErrorKind kindOfErrno(int e) {
  switch (e) {
    case ENOENT:
    case ENOTDIR:
      return ErrorKind::NotFound;
    case EACCES:
    case EPERM:
      return ErrorKind::Forbidden;
    case EIO:
    case EINTR:
    case EAGAIN:
    case ENOMEM:
    case ENOSPC:
    case EDQUOT:
    case EMFILE:
    case ENFILE:
    case EBUSY:
    case ETIMEDOUT:
      return ErrorKind::Transient;
    default:
      return ErrorKind::Permanent;
  }
}

[[noreturn]] void throwErrno(ErrorKind kind, std::string_view op, std::string_view name,
                             const std::string& what, int e) {
  throw BucketError(kind, std::string(op), std::string(name), what + ": " + std::strerror(e));
}
[[noreturn]] void throwErrno(std::string_view op, std::string_view name, const std::string& what,
                             int e) {
  throwErrno(kindOfErrno(e), op, name, what, e);
}
[[noreturn]] void throwNotFound(std::string_view op, std::string_view name) {
  throw BucketError(ErrorKind::NotFound, std::string(op), std::string(name), "object not found");
}

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  void reset(int fd) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }
  int release() {
    int f = fd_;
    fd_ = -1;
    return f;
  }

 private:
  int fd_;
};

std::string tempSuffix() {
  thread_local std::mt19937_64 rng(std::random_device{}() ^
                                   std::hash<std::thread::id>{}(std::this_thread::get_id()));
  static const char* hex = "0123456789abcdef";
  uint64_t v = rng();
  std::string s(kTempMarker);
  for (int i = 0; i < 16; ++i) s += hex[(v >> (4 * i)) & 15];
  return s;
}

void fsyncDirPath(std::string_view op, std::string_view name, const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throwErrno(op, name, "open directory " + dir, errno);
  Fd guard(fd);
  if (::fsync(fd) != 0) throwErrno(op, name, "fsync directory " + dir, errno);
}

// fsyncDirPath for a directory a concurrent remove may have pruned meanwhile: returns false
// when it is gone.
bool fsyncDirIfPresent(std::string_view op, std::string_view name, const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return false;
    throwErrno(op, name, "open directory " + dir, errno);
  }
  Fd guard(fd);
  if (::fsync(fd) != 0) throwErrno(op, name, "fsync directory " + dir, errno);
  return true;
}

void writeAll(std::string_view op, std::string_view name, int fd, const uint8_t* p, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      throwErrno(op, name, "write temp file", errno);
    }
    p += w;
    n -= static_cast<size_t>(w);
  }
}

// Reads up to n bytes at offset (fewer only at end of file).
std::vector<uint8_t> readAt(std::string_view op, std::string_view name, int fd, uint64_t offset,
                            uint64_t n) {
  std::vector<uint8_t> out(n);
  size_t got = 0;
  while (got < n) {
    ssize_t r = ::pread(fd, out.data() + got, n - got, static_cast<off_t>(offset + got));
    if (r < 0) {
      if (errno == EINTR) continue;
      throwErrno(op, name, "read", errno);
    }
    if (r == 0) break;
    got += static_cast<size_t>(r);
  }
  out.resize(got);
  return out;
}

// Whether a directory holds at least one object (a regular, non-temp file) at any depth.
bool hasObject(const fs::path& dir) {
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    auto st = it->symlink_status(ec);
    if (ec) return false;
    std::string n = it->path().filename().string();
    if (fs::is_regular_file(st) && !FilesystemBucket::isTempFileName(n)) return true;
    if (fs::is_directory(st) && hasObject(it->path())) return true;
  }
  return false;
}

// Appends the objects below dir (recursively) as rel + relative path. At the top level only
// entries starting with base are considered. Symlinks and temp files are skipped; a directory
// vanishing underneath (a concurrent remove) counts as empty.
void walk(std::string_view op, std::string_view prefix, const fs::path& dir, const std::string& rel,
          std::string_view base, bool recursive, std::vector<std::string>& out) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    std::string n = it->path().filename().string();
    if (!n.starts_with(base)) continue;
    std::error_code sec;
    auto st = it->symlink_status(sec);
    if (sec) continue;  // vanished
    std::string key = rel + n;
    if (fs::is_regular_file(st)) {
      if (isValidObjectName(key)) out.push_back(std::move(key));
    } else if (fs::is_directory(st)) {
      if (!isValidObjectName(key)) continue;
      if (recursive) {
        walk(op, prefix, it->path(), key + "/", "", true, out);
      } else if (hasObject(it->path())) {
        out.push_back(key + "/");
      }
    }
  }
  if (ec && ec.value() != ENOENT && ec.value() != ENOTDIR) {
    throwErrno(op, prefix, "read directory " + dir.string(), ec.value());
  }
}

}  // namespace

bool FilesystemBucket::isTempFileName(std::string_view segment) {
  size_t p = segment.rfind(kTempMarker);
  if (p == std::string_view::npos || p == 0) return false;
  std::string_view tail = segment.substr(p + kTempMarker.size());
  return tail.size() == 16 && std::all_of(tail.begin(), tail.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

FilesystemBucket::FilesystemBucket(std::string root) {
  std::error_code ec;
  fs::path p = fs::absolute(fs::path(root), ec).lexically_normal();
  if (ec) throw BucketError(ErrorKind::Permanent, "open", "", "root " + root + ": " + ec.message());
  root_ = p.string();
  while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
  fs::create_directories(root_, ec);
  if (ec || !fs::is_directory(root_)) {
    throw BucketError(ErrorKind::Permanent, "open", "",
                      "root " + root_ + " is not a usable directory" +
                          (ec ? ": " + ec.message() : std::string()));
  }
}

std::string FilesystemBucket::describe() const { return "filesystem:" + root_; }

namespace {

// Opens an object for reading: a regular file, never through a symlink as last component.
Fd openObject(std::string_view op, std::string_view name, const std::string& path,
              struct stat* st) {
  checkObjectName(op, name);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP) throwNotFound(op, name);
    throwErrno(op, name, "open", errno);
  }
  Fd f(fd);
  if (::fstat(fd, st) != 0) throwErrno(op, name, "stat", errno);
  if (!S_ISREG(st->st_mode)) throwNotFound(op, name);  // a directory is not an object
  return Fd(f.release());
}

}  // namespace

std::vector<uint8_t> FilesystemBucket::get(std::string_view name) {
  struct stat st {};
  Fd fd = openObject("get", name, pathOf(name), &st);
  // The fd pins the inode: a concurrent put replaces the name, not this file's content.
  return readAt("get", name, fd.get(), 0, static_cast<uint64_t>(st.st_size));
}

std::vector<uint8_t> FilesystemBucket::getRange(std::string_view name, uint64_t offset,
                                                uint64_t length) {
  struct stat st {};
  Fd fd = openObject("get_range", name, pathOf(name), &st);
  uint64_t size = static_cast<uint64_t>(st.st_size);
  if (offset >= size || length == 0) return {};
  return readAt("get_range", name, fd.get(), offset, std::min(length, size - offset));
}

template <typename Fill>
void FilesystemBucket::atomicWrite(std::string_view op, std::string_view name, Fill&& fill) {
  checkObjectName(op, name);
  size_t slash = name.rfind('/');
  std::string dir = slash == std::string_view::npos ? root_ : pathOf(name.substr(0, slash));
  std::string base(slash == std::string_view::npos ? name : name.substr(slash + 1));
  std::string tmp;
  Fd fd;
  for (int attempt = 0; fd.get() < 0; ++attempt) {
    if (attempt == kCreateAttempts) {
      throw BucketError(ErrorKind::Transient, std::string(op), std::string(name),
                        "directory kept vanishing under concurrent removes");
    }
    // Create missing parents one by one, fsyncing the directory that gained an entry.
    bool vanished = false;
    if (slash != std::string_view::npos) {
      std::string cur = root_;
      std::string_view rest = name.substr(0, slash);
      while (!rest.empty()) {
        size_t s = rest.find('/');
        std::string_view seg = rest.substr(0, s);
        std::string parent = cur;
        cur += "/" + std::string(seg);
        rest = s == std::string_view::npos ? std::string_view() : rest.substr(s + 1);
        if (::mkdir(cur.c_str(), 0755) == 0) {
          if (!fsyncDirIfPresent(op, name, parent)) {
            vanished = true;
            break;
          }
        } else if (errno == ENOENT) {
          vanished = true;  // a concurrent remove pruned a parent: start over
          break;
        } else if (errno != EEXIST) {
          throwErrno(op, name, "create directory " + cur, errno);
        }
      }
    }
    if (vanished) continue;
    tmp = dir + "/" + base + tempSuffix();
    int f = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (f >= 0) {
      fd.reset(f);
      break;
    }
    if (errno == ENOENT || errno == EEXIST) continue;
    if (errno == ENOTDIR) {
      throw BucketError(ErrorKind::Permanent, std::string(op), std::string(name),
                        "a parent of this name is an object (the filesystem backend cannot "
                        "hold both \"a\" and \"a/b\")");
    }
    throwErrno(op, name, "create temp file " + tmp, errno);
  }
  try {
    fill(fd.get());
    if (::fsync(fd.get()) != 0) throwErrno(op, name, "fsync temp file", errno);
    if (::close(fd.release()) != 0) throwErrno(op, name, "close temp file", errno);
    if (::rename(tmp.c_str(), pathOf(name).c_str()) != 0) {
      if (errno == EISDIR) {
        throw BucketError(ErrorKind::Permanent, std::string(op), std::string(name),
                          "objects exist below this name (the filesystem backend cannot hold "
                          "both \"a\" and \"a/b\")");
      }
      throwErrno(op, name, "rename temp file", errno);
    }
    fsyncDirPath(op, name, dir);
  } catch (...) {
    ::unlink(tmp.c_str());
    throw;
  }
}

void FilesystemBucket::put(std::string_view name, std::span<const uint8_t> data) {
  atomicWrite("put", name, [&](int fd) { writeAll("put", name, fd, data.data(), data.size()); });
}

void FilesystemBucket::uploadFile(std::string_view name, const std::string& path) {
  checkObjectName("upload", name);
  int sf = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (sf < 0) {
    throwErrno(ErrorKind::Permanent, "upload", name, "open local file " + path, errno);
  }
  Fd src(sf);
  atomicWrite("upload", name, [&](int fd) {
    std::vector<uint8_t> buf(kCopyBuffer);
    while (true) {
      ssize_t r = ::read(src.get(), buf.data(), buf.size());
      if (r < 0) {
        if (errno == EINTR) continue;
        throwErrno(ErrorKind::Permanent, "upload", name, "read local file " + path, errno);
      }
      if (r == 0) break;
      writeAll("upload", name, fd, buf.data(), static_cast<size_t>(r));
    }
  });
}

void FilesystemBucket::list(std::string_view prefix, std::string_view delimiter,
                            const std::function<void(const std::string&)>& fn) {
  checkPrefix("list", prefix);
  size_t slash = prefix.rfind('/');
  std::string rel = slash == std::string_view::npos ? "" : std::string(prefix.substr(0, slash + 1));
  std::string_view base = slash == std::string_view::npos ? prefix : prefix.substr(slash + 1);
  fs::path dir = rel.empty() ? fs::path(root_) : fs::path(root_ + "/" + rel);

  std::vector<std::string> entries;
  if (delimiter == "/") {
    walk("list", prefix, dir, rel, base, false, entries);
  } else {
    walk("list", prefix, dir, rel, base, true, entries);
    if (!delimiter.empty()) {
      // S3 common prefixes: cut each name after the first delimiter following the prefix.
      for (auto& e : entries) {
        size_t p = e.find(delimiter, prefix.size());
        if (p != std::string::npos) e.resize(p + delimiter.size());
      }
    }
  }
  std::sort(entries.begin(), entries.end());
  entries.erase(std::unique(entries.begin(), entries.end()), entries.end());
  for (const auto& e : entries) fn(e);
}

bool FilesystemBucket::exists(std::string_view name) {
  checkObjectName("exists", name);
  struct stat st {};
  if (::lstat(pathOf(name).c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return false;
    throwErrno("exists", name, "stat", errno);
  }
  return S_ISREG(st.st_mode);
}

ObjectAttributes FilesystemBucket::attributes(std::string_view name) {
  checkObjectName("attributes", name);
  struct stat st {};
  if (::lstat(pathOf(name).c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) throwNotFound("attributes", name);
    throwErrno("attributes", name, "stat", errno);
  }
  if (!S_ISREG(st.st_mode)) throwNotFound("attributes", name);
  ObjectAttributes a;
  a.size = static_cast<uint64_t>(st.st_size);
  a.last_modified = std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::seconds(st.st_mtim.tv_sec) + std::chrono::nanoseconds(st.st_mtim.tv_nsec)));
  return a;
}

void FilesystemBucket::remove(std::string_view name) {
  checkObjectName("remove", name);
  std::string path = pathOf(name);
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) throwNotFound("remove", name);
    throwErrno("remove", name, "stat", errno);
  }
  if (!S_ISREG(st.st_mode)) throwNotFound("remove", name);
  if (::unlink(path.c_str()) != 0) {
    if (errno == ENOENT) throwNotFound("remove", name);
    throwErrno("remove", name, "unlink", errno);
  }
  // Prune parents left empty, up to (not including) the root. rmdir fails on a directory that
  // gained an entry meanwhile (a concurrent put's temp file), which ends the pruning.
  std::string dir = path.substr(0, path.rfind('/'));
  while (dir.size() > root_.size()) {
    if (::rmdir(dir.c_str()) != 0) break;
    dir.resize(dir.rfind('/'));
  }
  // Gone only when a concurrent remove pruned it further; that remove syncs its parent.
  fsyncDirIfPresent("remove", name, dir);
}

}  // namespace strata::bucket
