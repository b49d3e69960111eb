#include "core/plugin/elf_check.h"

#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>

namespace strata::plugin {
namespace {

constexpr const char* kSanitizerRuntimes[] = {"libasan", "libubsan", "libtsan"};

#if defined(__x86_64__)
constexpr int kHostMachine = EM_X86_64;
#elif defined(__aarch64__)
constexpr int kHostMachine = EM_AARCH64;
#else
constexpr int kHostMachine = -1;  // unknown: skip the machine check, dlopen will decide
#endif

// A read-only mapping of the whole file, unmapped on scope exit.
class Mapping {
 public:
  explicit Mapping(const std::string& path) {
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      error_ = std::strerror(errno);
      return;
    }
    struct stat st {};
    if (fstat(fd, &st) == 0 && st.st_size > 0) {
      size_ = static_cast<size_t>(st.st_size);
      void* p = mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
      if (p != MAP_FAILED)
        data_ = static_cast<const unsigned char*>(p);
      else
        error_ = std::strerror(errno);
    }
    close(fd);
  }
  ~Mapping() {
    if (data_) munmap(const_cast<unsigned char*>(data_), size_);
  }
  const unsigned char* data() const { return data_; }
  size_t size() const { return data_ ? size_ : 0; }
  const std::string& error() const { return error_; }
  bool has(uint64_t off, uint64_t len) const { return off <= size() && len <= size() - off; }
  // A NUL-terminated string inside [off, end) of the file, or "" when it runs off the end.
  std::string cstr(uint64_t off, uint64_t end) const {
    end = std::min<uint64_t>(end, size());
    if (off >= end) return {};
    auto* p = reinterpret_cast<const char*>(data_ + off);
    size_t n = strnlen(p, end - off);
    return n == end - off ? std::string() : std::string(p, n);
  }

 private:
  const unsigned char* data_ = nullptr;
  size_t size_ = 0;
  std::string error_;
};

std::string typeName(uint16_t t) {
  switch (t) {
    case ET_REL:
      return "ET_REL (object file)";
    case ET_EXEC:
      return "ET_EXEC (executable)";
    case ET_CORE:
      return "ET_CORE (core dump)";
  }
  return "e_type " + std::to_string(t);
}

// Returns a refusal reason for a header that is not a loadable shared object here.
std::string checkHeader(const Mapping& m) {
  const std::string expected = "(expected an ELF shared object, got ";
  if (m.size() < EI_NIDENT || std::memcmp(m.data(), ELFMAG, SELFMAG) != 0)
    return "not a shared object " + expected +
           (m.size() == 0 ? "an empty file)" : "no ELF header)");
  if (m.data()[EI_CLASS] != ELFCLASS64)
    return "wrong ELF class (expected ELFCLASS64, got ELFCLASS" +
           std::string(m.data()[EI_CLASS] == ELFCLASS32 ? "32" : "NONE") + ")";
  if (m.data()[EI_DATA] != ELFDATA2LSB && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__)
    return "wrong byte order (expected little-endian, got big-endian)";
  if (!m.has(0, sizeof(Elf64_Ehdr))) return "not a shared object " + expected + "a truncated ELF)";
  auto* eh = reinterpret_cast<const Elf64_Ehdr*>(m.data());
  if (eh->e_type != ET_DYN) return "not a shared object " + expected + typeName(eh->e_type) + ")";
  if (kHostMachine >= 0 && eh->e_machine != kHostMachine)
    return "wrong machine (expected e_machine " + std::to_string(kHostMachine) + ", got " +
           std::to_string(eh->e_machine) + ")";
  return {};
}

// Walks the section headers for .dynamic (DT_NEEDED) and .dynsym (defined symbols); both name
// their string table in sh_link. A file without section headers just yields empty lists.
void scanSections(const Mapping& m, ElfInfo& out) {
  auto* eh = reinterpret_cast<const Elf64_Ehdr*>(m.data());
  if (eh->e_shentsize != sizeof(Elf64_Shdr) ||
      !m.has(eh->e_shoff, uint64_t{eh->e_shnum} * sizeof(Elf64_Shdr)))
    return;
  auto* sh = reinterpret_cast<const Elf64_Shdr*>(m.data() + eh->e_shoff);
  auto strtab = [&](uint32_t link, uint64_t& off, uint64_t& end) {
    if (link >= eh->e_shnum || !m.has(sh[link].sh_offset, sh[link].sh_size)) return false;
    off = sh[link].sh_offset;
    end = off + sh[link].sh_size;
    return true;
  };
  for (unsigned i = 0; i < eh->e_shnum; ++i) {
    const Elf64_Shdr& s = sh[i];
    uint64_t str = 0, end = 0;
    if ((s.sh_type != SHT_DYNAMIC && s.sh_type != SHT_DYNSYM) || !m.has(s.sh_offset, s.sh_size) ||
        !strtab(s.sh_link, str, end))
      continue;
    if (s.sh_type == SHT_DYNAMIC) {
      auto* dyn = reinterpret_cast<const Elf64_Dyn*>(m.data() + s.sh_offset);
      for (size_t k = 0; k < s.sh_size / sizeof(Elf64_Dyn) && dyn[k].d_tag != DT_NULL; ++k)
        if (dyn[k].d_tag == DT_NEEDED) out.needed.push_back(m.cstr(str + dyn[k].d_un.d_val, end));
    } else {
      auto* sym = reinterpret_cast<const Elf64_Sym*>(m.data() + s.sh_offset);
      for (size_t k = 1; k < s.sh_size / sizeof(Elf64_Sym); ++k)
        if (sym[k].st_shndx != SHN_UNDEF && sym[k].st_name != 0)
          out.dynamic_symbols.push_back(m.cstr(str + sym[k].st_name, end));
    }
  }
}

bool isSanitizerRuntime(std::string_view name, std::string& which) {
  auto slash = name.rfind('/');
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  for (const char* rt : kSanitizerRuntimes) {
    std::string_view r(rt);
    if (name.substr(0, r.size()) == r && name.size() > r.size() && name[r.size()] == '.') {
      which = rt;
      return true;
    }
  }
  return false;
}

}  // namespace

ElfInfo readElf(const std::string& path) {
  ElfInfo info;
  Mapping m(path);
  if (!m.error().empty()) {
    info.error = "cannot read file (" + m.error() + ")";
    return info;
  }
  info.error = checkHeader(m);
  if (info.error.empty()) scanSections(m, info);
  return info;
}

std::vector<std::string> sanitizerRuntimes(const std::vector<std::string>& needed) {
  std::vector<std::string> out;
  std::string which;
  for (const auto& n : needed)
    if (isSanitizerRuntime(n, which)) out.push_back(n);
  return out;
}

std::vector<std::string> hostSanitizerRuntimes() {
  std::vector<std::string> out;
  dl_iterate_phdr(
      [](struct dl_phdr_info* info, size_t, void* data) {
        std::string which;
        if (info->dlpi_name && isSanitizerRuntime(info->dlpi_name, which))
          static_cast<std::vector<std::string>*>(data)->push_back(which);
        return 0;
      },
      &out);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace strata::plugin
