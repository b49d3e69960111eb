#include "core/plugin/abi_check.h"

#include <cinttypes>
#include <cstddef>
#include <cstdio>
#include <cstring>

namespace strata::plugin {
namespace {

constexpr uint32_t kKnownEdges = STRATA_EDGE_METRICS | STRATA_EDGE_BLOCKS | STRATA_EDGE_QUERY;
constexpr uint32_t kKnownComponentFlags = STRATA_COMPONENT_SERIAL;
constexpr uint32_t kKnownOptionFlags =
    STRATA_OPTF_REQUIRED | STRATA_OPTF_LISTEN_ADDRESS | STRATA_OPTF_SECRET | STRATA_OPTF_QUERY_REF;
// Deep enough for any real schema; a cycle in `children` would otherwise recurse forever.
constexpr int kMaxOptionDepth = 8;

std::string hex(uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%016" PRIx64, v);
  return buf;
}

std::string refusal(const std::string& what, const std::string& expected, const std::string& got) {
  return what + " (expected " + expected + ", got " + got + ")";
}

// Appended piecewise: GCC 12 at -O3 reports a false -Wrestrict on "\"" + std::string(s).
std::string quoted(const char* s) {
  if (!s) return "null";
  std::string out(1, '"');
  out.append(s).push_back('"');
  return out;
}

// The prefix of a struct up to and including `field`: what 1.0 already had.
#define STRATA_MIN_SIZE(type, field) (offsetof(type, field) + sizeof(((type*)nullptr)->field))

void checkSignature(const strata_build_signature* s, const HostBuild& host,
                    std::vector<std::string>& out) {
  if (!s) {
    out.push_back("missing build signature (expected a strata_build_signature, got null)");
    return;
  }
  const uint32_t min = STRATA_MIN_SIZE(strata_build_signature, sdk_major);
  if (s->struct_size < min) {
    out.push_back(refusal("build signature too small", ">= " + std::to_string(min),
                          std::to_string(s->struct_size)));
    return;
  }
  auto field = [&](const char* name, uint32_t expected, uint32_t got) {
    if (expected != got)
      out.push_back(refusal(std::string("build signature mismatch: ") + name,
                            std::to_string(expected), std::to_string(got)));
  };
  field("pointer_bits", host.pointer_bits, s->pointer_bits);
  field("little_endian", host.little_endian, s->little_endian);
  field("sanitizers", host.sanitizers, s->sanitizers);
  field("sdk_major", host.sdk_major, s->sdk_major);
}

void checkOptions(const std::string& where, const strata_option_def* opts, size_t n, int depth,
                  std::vector<std::string>& out) {
  if (n == 0) return;
  if (!opts) {
    out.push_back(refusal(where + ": options", "an array of " + std::to_string(n), "null"));
    return;
  }
  if (depth > kMaxOptionDepth) {
    out.push_back(refusal(where + ": options nested too deep",
                          "<= " + std::to_string(kMaxOptionDepth), "more"));
    return;
  }
  const uint32_t min = STRATA_MIN_SIZE(strata_option_def, children_count);
  for (size_t i = 0; i < n; ++i) {
    const strata_option_def& o = opts[i];
    std::string at = where + ": option " + std::to_string(i);
    if (o.struct_size < min) {
      out.push_back(refusal(at + " struct_size too small", ">= " + std::to_string(min),
                            std::to_string(o.struct_size)));
      continue;
    }
    if (!o.name || !validTypeName(o.name)) {
      out.push_back(refusal(at + " invalid name", "^[a-z][a-z0-9_]{0,62}$", quoted(o.name)));
      continue;
    }
    at = where + ": option '" + o.name + "'";
    if (o.type < STRATA_OPT_STRING || o.type > STRATA_OPT_STRING_MAP)
      out.push_back(refusal(at + " unknown type", "1..10", std::to_string(o.type)));
    if (o.flags & ~kKnownOptionFlags)
      out.push_back(
          refusal(at + " unknown flags", hex(kKnownOptionFlags) + " or less", hex(o.flags)));
    bool nested = o.type == STRATA_OPT_OBJECT || o.type == STRATA_OPT_OBJECT_LIST;
    if (nested && o.children_count == 0)
      out.push_back(refusal(at + " object without children", ">= 1 child", "0"));
    if (nested) checkOptions(at, o.children, o.children_count, depth + 1, out);
  }
}

}  // namespace

HostBuild hostBuild() {
  uint32_t sanitizers = 0;
#if defined(__SANITIZE_ADDRESS__)
  sanitizers |= STRATA_SANITIZER_ADDRESS;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
  sanitizers |= STRATA_SANITIZER_ADDRESS;
#endif
#endif
  return HostBuild{static_cast<uint32_t>(sizeof(void*) * 8),
                   __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? 1u : 0u, sanitizers,
                   STRATA_SDK_MAJOR};
}

uint32_t minDescriptorSize(uint16_t /*minor*/) {
  // 1.0 is the only layout so far; a minor that appends fields adds a case here.
  return STRATA_MIN_SIZE(strata_plugin_descriptor, component_count);
}

bool validTypeName(const char* type) {
  if (!type || !(type[0] >= 'a' && type[0] <= 'z')) return false;
  size_t n = 1;
  for (; type[n]; ++n) {
    char ch = type[n];
    if (n > 62 || !((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_'))
      return false;
  }
  return true;
}

std::vector<std::string> checkComponent(const strata_component_def* c, size_t index) {
  std::vector<std::string> out;
  std::string at = "component " + std::to_string(index);
  const uint32_t min = STRATA_MIN_SIZE(strata_component_def, vtable);
  if (!c) return {refusal(at + " is null", "a strata_component_def", "null")};
  if (c->struct_size < min)
    return {refusal(at + " struct_size too small", ">= " + std::to_string(min),
                    std::to_string(c->struct_size))};
  if (!validTypeName(c->type))
    return {refusal(at + " invalid type name", "^[a-z][a-z0-9_]{0,62}$", quoted(c->type))};
  at += " '" + std::string(c->type) + "'";
  if (c->kind < STRATA_KIND_RECEIVER || c->kind > STRATA_KIND_SERVICE)
    out.push_back(refusal(at + " unknown kind", "1..5", std::to_string(c->kind)));
  for (auto [name, mask] : {std::pair{"inputs", c->inputs}, std::pair{"outputs", c->outputs},
                            std::pair{"provides", c->provides}})
    if (mask & ~kKnownEdges)
      out.push_back(refusal(at + " unknown edge types in " + std::string(name),
                            "a mask of " + hex(kKnownEdges), hex(mask)));
  if (c->flags & ~kKnownComponentFlags)
    out.push_back(
        refusal(at + " unknown flags", hex(kKnownComponentFlags) + " or less", hex(c->flags)));
  const strata_component_vtable* vt = c->vtable;
  const uint32_t vt_min = STRATA_MIN_SIZE(strata_component_vtable, destroy);
  if (!vt)
    out.push_back(refusal(at + " vtable", "a strata_component_vtable", "null"));
  else if (vt->struct_size < vt_min)
    out.push_back(refusal(at + " vtable struct_size too small", ">= " + std::to_string(vt_min),
                          std::to_string(vt->struct_size)));
  else if (!vt->create || !vt->destroy)
    out.push_back(refusal(at + " vtable incomplete", "create and destroy",
                          std::string(vt->create ? "" : "no create") +
                              (vt->create || vt->destroy ? "" : ", ") +
                              (vt->destroy ? "" : "no destroy")));
  checkOptions(at, c->options, c->option_count, 0, out);
  return out;
}

std::vector<std::string> checkDescriptor(const strata_plugin_descriptor* d, uint16_t host_minor,
                                         const HostBuild& host) {
  if (!d) return {refusal("entry returned no descriptor", "a descriptor", "null")};
  if (d->magic != STRATA_PLUGIN_MAGIC)
    return {refusal("not a strata plugin or corrupt", "magic " + hex(STRATA_PLUGIN_MAGIC),
                    hex(d->magic))};
  if (d->abi_major != STRATA_ABI_MAJOR)
    return {refusal("ABI major mismatch", std::to_string(STRATA_ABI_MAJOR),
                    std::to_string(d->abi_major))};
  std::string version = std::to_string(d->abi_major) + "." + std::to_string(d->abi_minor);
  if (d->abi_minor > host_minor)
    return {refusal(
        "built for a newer host",
        "ABI " + std::to_string(STRATA_ABI_MAJOR) + "." + std::to_string(host_minor) + " or older",
        "ABI " + version)};
  uint32_t min = minDescriptorSize(d->abi_minor);
  if (d->struct_size < min)
    return {refusal("descriptor struct_size too small for ABI " + version,
                    ">= " + std::to_string(min), std::to_string(d->struct_size))};
  std::vector<std::string> out;
  checkSignature(d->signature, host, out);
  if (!out.empty()) return out;
  if (d->component_count > 0 && !d->components)
    return {refusal("components", "an array of " + std::to_string(d->component_count), "null")};
  if (d->component_count == 0) return {refusal("no components", ">= 1", "0")};
  for (size_t i = 0; i < d->component_count; ++i)
    for (auto& r : checkComponent(d->components[i], i)) out.push_back(std::move(r));
  return out;
}

}  // namespace strata::plugin
