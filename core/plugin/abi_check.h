// The descriptor checks, as a pure function of the descriptor and what the host is, so they can
// be tested with a faked host (e.g. a host minor that does not exist yet).
//
// Order (each step trusts only what the previous ones proved):
//   magic -> abi_major (stop on mismatch: the rest may not even have the fields we expect)
//   -> abi_minor <= host's -> struct_size >= the minimum for that minor -> build signature
//   (strict fields, one reason per mismatched field) -> component definitions.
#pragma once

#include <strata/plugin_abi.h>

#include <cstdint>
#include <string>
#include <vector>

namespace strata::plugin {

// The host's side of the strict build-signature fields.
struct HostBuild {
  uint32_t pointer_bits;
  uint32_t little_endian;
  uint32_t sanitizers;  // STRATA_SANITIZER_*, computed the way the SDK computes it
  uint32_t sdk_major;
};

// This host binary's build.
HostBuild hostBuild();

// sizeof(strata_plugin_descriptor) as ABI 1.minor defined it (append-only growth).
uint32_t minDescriptorSize(uint16_t minor);

// Returns refusal reasons ("REASON (expected X, got Y)"); empty means accepted.
std::vector<std::string> checkDescriptor(const strata_plugin_descriptor* d, uint16_t host_minor,
                                         const HostBuild& host);

// The component-definition part of checkDescriptor(), also usable alone.
std::vector<std::string> checkComponent(const strata_component_def* c, size_t index);

// ^[a-z][a-z0-9_]{0,62}$
bool validTypeName(const char* type);

}  // namespace strata::plugin
