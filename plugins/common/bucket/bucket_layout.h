// The Thanos bucket layout: one top-level directory per block, named by its ULID, holding
// meta.json (uploaded last), index, chunks/NNNNNN and the optional marker files. These names
// are the ones Thanos' tools (bucket inspect, compact, store) expect. docs/bucket.md.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace strata::bucket {

std::string blockMetaName(std::string_view ulid);           // <ULID>/meta.json
std::string blockIndexName(std::string_view ulid);          // <ULID>/index
std::string blockChunksPrefix(std::string_view ulid);       // <ULID>/chunks/
std::string blockChunkName(std::string_view ulid, int n);   // <ULID>/chunks/000001 (n >= 1)
std::string blockDeletionMarkName(std::string_view ulid);   // <ULID>/deletion-mark.json
std::string blockNoCompactMarkName(std::string_view ulid);  // <ULID>/no-compact-mark.json

// Whether s is a ULID as oklog/ulid (which Thanos uses) parses it: 26 Crockford base32
// characters (0-9, A-Z without I, L, O, U; either case) whose first is 0-7 (the 48-bit
// timestamp does not overflow).
bool isUlid(std::string_view s);
// The ULID of a top-level list entry "<ULID>/" (as list("", "/") reports block directories),
// or nullopt for anything else (other directories, objects, nested names).
std::optional<std::string> blockUlidOfEntry(std::string_view entry);

}  // namespace strata::bucket
