/*
 * Strata plugin ABI, version 1.1: the only boundary between the host and a plugin.
 *
 * 1.1 appended: strata_metrics_batch.metadata/metadata_count (TYPE/HELP/UNIT of metric
 * families) and strata_queryable.metadata. A 1.0 plugin keeps working: it writes shorter
 * structs and the host and 1.1 plugins check struct_size before reading an appended field.
 *
 * Why C: a C++ interface across dlopen() breaks whenever compiler, standard library or
 * flags differ between host and plugin. Only POD structs, pointers and lengths cross here.
 *
 * Rules every type below follows:
 *  - Every struct starts with `struct_size`; fields are only ever appended (minor bump), so a
 *    reader may use a prefix. Never insert or reorder fields.
 *  - OWNERSHIP of a batch (metrics or blocks): whoever creates it sets `release`; passing it
 *    to emit_*() or consume_*() transfers it, whatever status comes back; the final holder
 *    calls `release` exactly once.
 *  - Strings are (pointer, length) pairs and are not NUL-terminated unless stated.
 *  - The host never frees plugin memory and a plugin never frees host memory.
 *  - No exception ever crosses: the SDK wraps every entry in a catch-all.
 */
#ifndef STRATA_PLUGIN_ABI_H
#define STRATA_PLUGIN_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define STRATA_PLUGIN_MAGIC 0x3130415441525453ULL /* "STRATA01" little-endian */
#define STRATA_ABI_MAJOR 1
#define STRATA_ABI_MINOR 1
#define STRATA_SDK_MAJOR 1
/* The one symbol a plugin exports. `_v1` names the ABI major the symbol speaks. */
#define STRATA_PLUGIN_ENTRY_SYMBOL "strata_plugin_entry_v1"

/* ---------------------------------------------------------------------------------------
 * Basic types
 * ------------------------------------------------------------------------------------- */

typedef enum strata_status {
  STRATA_OK = 0,
  STRATA_RETRY = 1,  /* transient: queue full, downstream unavailable; try again later */
  STRATA_REJECT = 2, /* permanent: this input is bad; never retry it */
  STRATA_FAILED = 3  /* the component itself is broken */
} strata_status;

typedef struct strata_str {
  const char* data;
  size_t len;
} strata_str;

typedef enum strata_log_level {
  STRATA_LOG_DEBUG = 0,
  STRATA_LOG_INFO = 1,
  STRATA_LOG_WARN = 2,
  STRATA_LOG_ERROR = 3
} strata_log_level;

/* Opaque per-instance handle the host passes to create(); plugins hand it back on every
 * host call. LIFETIME: valid until the host calls destroy() on the instance. */
typedef struct strata_host_ctx strata_host_ctx;

/* ---------------------------------------------------------------------------------------
 * Component kinds and edge types
 * ------------------------------------------------------------------------------------- */

typedef enum strata_kind {
  STRATA_KIND_RECEIVER = 1,
  STRATA_KIND_PROCESSOR = 2,
  STRATA_KIND_EXPORTER = 3,
  STRATA_KIND_STORAGE = 4,
  STRATA_KIND_SERVICE = 5
} strata_kind;

/* Edge types, used as bit masks in inputs/outputs/provides. */
#define STRATA_EDGE_METRICS 0x1u
#define STRATA_EDGE_BLOCKS 0x2u
#define STRATA_EDGE_QUERY 0x4u

/* ---------------------------------------------------------------------------------------
 * The metrics batch: an immutable columnar view
 * ------------------------------------------------------------------------------------- */

typedef struct strata_label {
  strata_str name;
  strata_str value;
} strata_label;

typedef struct strata_series_ref {
  uint64_t hash;         /* stable 64-bit hash of the sorted labels (strata_labels_hash) */
  uint32_t label_begin;  /* index into batch.labels */
  uint32_t label_count;  /* labels are sorted by name, names unique, __name__ included */
  uint32_t sample_begin; /* index into batch.timestamps_ms / batch.values */
  uint32_t sample_count; /* in timestamp order */
} strata_series_ref;

/* The receiver wants emit_metrics() to return only once every downstream sink has
 * consumed (exporters) or committed (storage) the batch, not merely queued it. */
#define STRATA_BATCH_ACK_ON_DELIVERY 0x1u

/* Metric family types, numbered as remote write's MetricMetadata.MetricType. */
typedef enum strata_metric_family_type {
  STRATA_FAMILY_UNKNOWN = 0,
  STRATA_FAMILY_COUNTER = 1,
  STRATA_FAMILY_GAUGE = 2,
  STRATA_FAMILY_HISTOGRAM = 3,
  STRATA_FAMILY_GAUGEHISTOGRAM = 4,
  STRATA_FAMILY_SUMMARY = 5,
  STRATA_FAMILY_INFO = 6,
  STRATA_FAMILY_STATESET = 7
} strata_metric_family_type;

/* TYPE/HELP/UNIT of one metric family (ABI 1.1), as a scrape or remote write carries it. */
typedef struct strata_metric_metadata {
  strata_str metric_family; /* e.g. "node_cpu_seconds_total" (a family name, no suffix rules) */
  uint32_t type;            /* strata_metric_family_type */
  strata_str help;
  strata_str unit;
} strata_metric_metadata;

/* True when batch `b` is big enough to carry the 1.1 metadata fields. */
#define STRATA_BATCH_HAS_METADATA(b) \
  ((b)->struct_size >= offsetof(strata_metrics_batch, metadata_count) + sizeof(size_t))

typedef struct strata_metrics_batch {
  uint32_t struct_size;
  uint32_t flags; /* STRATA_BATCH_* */
  strata_str tenant;
  const strata_series_ref* series;
  size_t series_count;
  const strata_label* labels;
  size_t label_count;
  const int64_t* timestamps_ms; /* milliseconds since the epoch */
  const double* values;         /* the staleness marker is the NaN 0x7ff0000000000002 */
  size_t sample_count;
  /* OWNERSHIP: called exactly once by the final holder; frees everything above. */
  void (*release)(struct strata_metrics_batch* self);
  void* private_data; /* the creator's */
  /* ABI 1.1 (check STRATA_BATCH_HAS_METADATA): metadata of metric families, optional and
   * independent of the series (a batch may carry only metadata, or series without it).
   * Receivers send it when it changed and periodically, not with every batch; freed by
   * `release` like everything above. */
  const strata_metric_metadata* metadata;
  size_t metadata_count;
} strata_metrics_batch;

/* ---------------------------------------------------------------------------------------
 * The blocks edge: a sealed immutable block directory
 * ------------------------------------------------------------------------------------- */

typedef struct strata_block_ref {
  uint32_t struct_size;
  strata_str tenant;
  strata_str dir;  /* absolute path of the block directory */
  strata_str ulid; /* its ULID */
  int64_t min_time_ms;
  int64_t max_time_ms;
  void (*release)(struct strata_block_ref* self);
  void* private_data;
} strata_block_ref;

/* ---------------------------------------------------------------------------------------
 * The query edge: a Queryable
 * ------------------------------------------------------------------------------------- */

typedef enum strata_match_type {
  STRATA_MATCH_EQ = 0,
  STRATA_MATCH_NEQ = 1,
  STRATA_MATCH_RE = 2, /* fully anchored RE2 */
  STRATA_MATCH_NRE = 3
} strata_match_type;

typedef struct strata_matcher {
  uint32_t type; /* strata_match_type */
  strata_str name;
  strata_str value;
} strata_matcher;

/* What the query engine will do with the data, so a source can push work down. */
typedef struct strata_select_hints {
  uint32_t struct_size;
  int64_t start_ms, end_ms; /* evaluation range */
  int64_t step_ms;          /* 0 for an instant query */
  int64_t range_ms;         /* the range of a range vector, 0 otherwise */
  strata_str function;      /* e.g. "rate"; empty when unknown */
  const strata_str* grouping;
  size_t grouping_count;
  uint32_t grouping_by; /* 1: by (grouping), 0: without (grouping) */
  /* Appended (read only when struct_size covers it; absent = 0): the coarsest downsampling
   * resolution the query wants, as Thanos' max_source_resolution. 0: raw data; > 0: blocks of
   * resolution <= this many ms may answer; STRATA_MAX_RESOLUTION_AUTO: step_ms / 5. Sources
   * without downsampled data ignore it. */
  int64_t max_resolution_ms;
} strata_select_hints;

#define STRATA_MAX_RESOLUTION_AUTO (-1)

/* A pull stream of series, modelled on ArrowArrayStream. THREAD: one caller at a time. */
typedef struct strata_series_set {
  uint32_t struct_size;
  /* Advance to the next series. Returns 1 and fills labels, 0 at the end, -1 on error.
   * LIFETIME: labels stay valid until the next call of next() or release(). */
  int (*next)(struct strata_series_set* self, const strata_label** labels, size_t* label_count);
  /* Copy up to `cap` samples of the current series into the arrays, continuing where the
   * previous call stopped; returns how many, 0 when the series is exhausted, -1 on error. */
  long (*read_samples)(struct strata_series_set* self, int64_t* timestamps_ms, double* values,
                       size_t cap);
  const char* (*last_error)(struct strata_series_set* self); /* NUL-terminated */
  void (*release)(struct strata_series_set* self);
  void* private_data;
} strata_series_set;

/* A list of strings owned by its creator. */
typedef struct strata_string_list {
  uint32_t struct_size;
  const strata_str* items;
  size_t count;
  void (*release)(struct strata_string_list* self);
  void* private_data;
} strata_string_list;

/* A list of metric metadata owned by its creator (ABI 1.1). */
typedef struct strata_metadata_list {
  uint32_t struct_size;
  const strata_metric_metadata* items;
  size_t count;
  void (*release)(struct strata_metadata_list* self);
  void* private_data;
} strata_metadata_list;

/* One set of labels (e.g. a source's external labels). */
typedef struct strata_label_set {
  const strata_label* labels; /* sorted by name */
  size_t count;
} strata_label_set;

/* What a query source holds, like a Thanos store's info: the query tier skips a source whose
 * time range or label sets cannot match a query. Owned by its creator. */
typedef struct strata_source_info {
  uint32_t struct_size;
  int64_t min_time_ms; /* INT64_MIN: unbounded (or unknown) */
  int64_t max_time_ms; /* INT64_MAX: unbounded (a head taking writes, or unknown) */
  /* Every series the source returns carries every label of one of these sets, with that
   * value. No sets: nothing is known, any series may come back. */
  const strata_label_set* label_sets;
  size_t label_set_count;
  void (*release)(struct strata_source_info* self);
  void* private_data;
} strata_source_info;

typedef struct strata_queryable {
  uint32_t struct_size;
  void* self;
  /* THREAD: any; concurrent calls allowed. On error return a status and a message via
   * the host's set_error of the calling instance. */
  strata_status (*select)(void* self, strata_str tenant, const strata_matcher* matchers,
                          size_t matcher_count, int64_t min_time_ms, int64_t max_time_ms,
                          const strata_select_hints* hints, strata_series_set* out);
  strata_status (*label_names)(void* self, strata_str tenant, const strata_matcher* matchers,
                               size_t matcher_count, int64_t min_time_ms, int64_t max_time_ms,
                               strata_string_list* out);
  strata_status (*label_values)(void* self, strata_str tenant, strata_str name,
                                const strata_matcher* matchers, size_t matcher_count,
                                int64_t min_time_ms, int64_t max_time_ms, strata_string_list* out);
  /* ABI 1.1, optional (NULL, or struct_size too small: the source has no metadata). The
   * latest metadata per metric family of `tenant`; only family `metric` when it is not
   * empty; at most `limit` families when limit > 0. One entry per distinct (family, type,
   * help, unit) a source knows, ordered by family. */
  strata_status (*metadata)(void* self, strata_str tenant, strata_str metric, size_t limit,
                            strata_metadata_list* out);
  /* Appended in 1.1 without a minor bump (a reader checks struct_size first), optional:
   * what the source holds for `tenant` (empty: every tenant). NULL: nothing is known. */
  strata_status (*info)(void* self, strata_str tenant, strata_source_info* out);
} strata_queryable;

/* True when queryable `q` is big enough to have the 1.1 metadata slot (it may be NULL). */
#define STRATA_QUERYABLE_HAS_METADATA(q) \
  ((q)->struct_size >= offsetof(strata_queryable, metadata) + sizeof(void*))
/* True when queryable `q` is big enough to have the info slot (it may be NULL). */
#define STRATA_QUERYABLE_HAS_INFO(q) \
  ((q)->struct_size >= offsetof(strata_queryable, info) + sizeof(void*))

/* ---------------------------------------------------------------------------------------
 * Configuration: a validated, defaults-filled tree handed to create()
 * ------------------------------------------------------------------------------------- */

typedef enum strata_value_kind {
  STRATA_VALUE_NULL = 0,
  STRATA_VALUE_BOOL = 1,
  STRATA_VALUE_INT = 2,
  STRATA_VALUE_FLOAT = 3,
  STRATA_VALUE_STRING = 4,
  STRATA_VALUE_LIST = 5,
  STRATA_VALUE_MAP = 6
} strata_value_kind;

typedef struct strata_value {
  uint32_t kind;                    /* strata_value_kind */
  int32_t line, column;             /* 1-based position in the pipeline file, 0 when defaulted */
  int64_t int_value;                /* INT; also BOOL (0/1); durations are INT milliseconds */
  double float_value;               /* FLOAT (and INT converted) */
  strata_str string_value;          /* STRING; the scalar's text for every scalar kind */
  const struct strata_value* items; /* LIST items, MAP values */
  const strata_str* keys;           /* MAP keys, parallel to items */
  size_t count;
} strata_value;

typedef enum strata_option_type {
  STRATA_OPT_STRING = 1,
  STRATA_OPT_INT = 2,
  STRATA_OPT_FLOAT = 3,
  STRATA_OPT_BOOL = 4,
  STRATA_OPT_DURATION = 5, /* Prometheus duration "15s", "1h30m"; INT milliseconds */
  STRATA_OPT_STRING_LIST = 6,
  STRATA_OPT_OBJECT = 7,      /* nested options in `children` */
  STRATA_OPT_OBJECT_LIST = 8, /* a list of objects, each checked against `children` */
  STRATA_OPT_ANY = 9,         /* any YAML; the plugin's validate() checks it */
  STRATA_OPT_STRING_MAP = 10  /* map of string to string */
} strata_option_type;

#define STRATA_OPTF_REQUIRED 0x1u
#define STRATA_OPTF_LISTEN_ADDRESS 0x2u /* host:port; lint reports clashes between components */
#define STRATA_OPTF_SECRET 0x4u         /* never logged or printed */
#define STRATA_OPTF_QUERY_REF 0x8u      /* component ids that must provide the query edge */

typedef struct strata_option_def {
  uint32_t struct_size;
  const char* name;
  uint32_t type;             /* strata_option_type */
  uint32_t flags;            /* STRATA_OPTF_* */
  const char* default_value; /* YAML text of the default, NULL for none */
  const char* doc;
  const struct strata_option_def* children; /* OBJECT and OBJECT_LIST */
  size_t children_count;
} strata_option_def;

/* Where validate() reports problems: `path` is a dotted option path ("queue.capacity",
 * "scrape_configs.0.job_name") that the host maps back to file:line:col. */
typedef struct strata_diag_sink {
  void (*report)(struct strata_diag_sink* self, const char* path, const char* message);
  void* private_data;
} strata_diag_sink;

/* ---------------------------------------------------------------------------------------
 * HTTP: the host owns every listening socket so a reload never refuses a connection
 * ------------------------------------------------------------------------------------- */

typedef struct strata_http_header {
  strata_str name;
  strata_str value;
} strata_http_header;

typedef struct strata_http_request {
  uint32_t struct_size;
  strata_str method;
  strata_str path;
  strata_str query; /* raw query string without '?' */
  const strata_http_header* headers;
  size_t header_count;
  const char* body;
  size_t body_len;
  strata_str remote_address;
} strata_http_request;

typedef struct strata_http_response {
  uint32_t struct_size;
  void* host_private;
  void (*add_header)(struct strata_http_response* self, strata_str name, strata_str value);
  /* Call once: status code, content type and the whole body. */
  void (*send)(struct strata_http_response* self, int status, strata_str content_type,
               const char* body, size_t body_len);
  /* Appended without a minor bump (check struct_size, or use sdk::ResponseStream): a
   * streamed reply, for answers too large to hold whole. Instead of send(): begin() once
   * (headers added before it), write() any number of times, then return from the handler
   * (end() marks the end explicitly). Sent chunked (HTTP/1.1). write() blocks while about
   * 1 MiB is unwritten (a slow client slows the producer, it does not grow a buffer). Both
   * return 0, or -1 once the client is gone or stopped reading: stop producing. A handler
   * that fails after begin() cannot change the status: calling send() then (or throwing)
   * cuts the body off (no last chunk, the connection closes), so the client sees it fail. */
  int (*begin)(struct strata_http_response* self, int status, strata_str content_type);
  int (*write)(struct strata_http_response* self, const char* data, size_t len);
  void (*end)(struct strata_http_response* self);
} strata_http_response;

/* True when response `r` has the streamed-reply slots. */
#define STRATA_HTTP_RESPONSE_HAS_STREAM(r) \
  ((r)->struct_size >= offsetof(strata_http_response, end) + sizeof(void*))

/* THREAD: any of the host's HTTP threads, concurrently. */
typedef void (*strata_http_handler)(void* user, const strata_http_request* request,
                                    strata_http_response* response);

/* ---------------------------------------------------------------------------------------
 * Self-monitoring
 * ------------------------------------------------------------------------------------- */

typedef enum strata_metric_type {
  STRATA_METRIC_COUNTER = 1,
  STRATA_METRIC_GAUGE = 2
} strata_metric_type;

/* Opaque host-owned time series. LIFETIME: the host's; series with the same name and labels
 * are shared, so a counter survives the rebuild of its component on reload. */
typedef struct strata_metric strata_metric;

/* ---------------------------------------------------------------------------------------
 * The host function table (append-only; check struct_size before using a later slot)
 * ------------------------------------------------------------------------------------- */

typedef struct strata_host_api {
  uint32_t struct_size;
  uint16_t abi_major, abi_minor;

  /* logfmt line with component=<id> added; kv holds 2*kv_pairs strings (key, value). */
  void (*log)(strata_host_ctx* ctx, uint32_t level, strata_str message, const strata_str* kv,
              size_t kv_pairs);
  /* The text of the last REJECT/FAILED; the host copies it. */
  void (*set_error)(strata_host_ctx* ctx, strata_str message);

  /* Hand a batch downstream (receivers, processors). OWNERSHIP: always transferred.
   * THREAD: any. Returns OK when every downstream accepted it, RETRY when one is full. */
  strata_status (*emit_metrics)(strata_host_ctx* ctx, strata_metrics_batch* batch);
  strata_status (*emit_blocks)(strata_host_ctx* ctx, strata_block_ref* block);

  /* Series of the node's /metrics. `label_kv` holds 2*pairs strings; the host adds
   * component="<id>". Returns the same series for the same name+labels. */
  strata_metric* (*metric)(strata_host_ctx* ctx, uint32_t type, strata_str name, strata_str help,
                           const strata_str* label_kv, size_t pairs);
  void (*metric_add)(strata_metric* metric, double delta);
  void (*metric_set)(strata_metric* metric, double value);

  /* Serve `path_prefix` on `listen_address` (host:port) until the instance is destroyed.
   * The socket is shared with other routes on that address and kept across reloads. */
  strata_status (*http_route)(strata_host_ctx* ctx, strata_str listen_address,
                              strata_str path_prefix, size_t max_body_bytes,
                              strata_http_handler handler, void* user);

  /* The Queryable that component `component_id` provides (named in a QUERY_REF option).
   * LIFETIME: until this instance is destroyed. NULL if there is none. */
  const strata_queryable* (*queryable)(strata_host_ctx* ctx, strata_str component_id);

  /* The component id ("type/name") and the data directory the host gives it. */
  strata_str (*component_id)(strata_host_ctx* ctx);
  strata_str (*data_dir)(strata_host_ctx* ctx);

  /* Like http_route, on a TLS listener: PEM cert and key files; client_ca_file non-empty
   * requires and verifies client certificates (mTLS). All routes on one address must agree. */
  strata_status (*https_route)(strata_host_ctx* ctx, strata_str listen_address,
                               strata_str path_prefix, size_t max_body_bytes, strata_str cert_file,
                               strata_str key_file, strata_str client_ca_file,
                               strata_http_handler handler, void* user);

  /* Why the last emit_metrics this thread made did not return OK, in the words of the
   * component that refused the batch (its set_error text, "<component id>: <text>"); empty
   * after an OK or when no text is known. Lets a receiver tell its client why. THREAD: the
   * thread that called emit_metrics. LIFETIME: until that thread's next emit_metrics.
   * Appended after https_route: check struct_size before calling. */
  strata_str (*emit_error)(strata_host_ctx* ctx);
} strata_host_api;

/* ---------------------------------------------------------------------------------------
 * What a plugin implements
 * ------------------------------------------------------------------------------------- */

/* Lifecycle: create -> start -> (consume*) -> drain -> stop -> destroy.
 * THREAD: all but consume_* are called from the host's control thread. consume_* may be
 * called concurrently unless the component sets STRATA_COMPONENT_SERIAL. */
typedef struct strata_component_vtable {
  uint32_t struct_size;
  /* Side-effect free; lint calls it. Reports cross-field problems of a schema-valid config. */
  void (*validate)(const strata_value* config, strata_diag_sink* sink);
  strata_status (*create)(const strata_host_api* host, strata_host_ctx* ctx,
                          const strata_value* config, void** instance_out);
  strata_status (*start)(void* instance);
  strata_status (*consume_metrics)(void* instance, strata_metrics_batch* batch);
  strata_status (*consume_blocks)(void* instance, strata_block_ref* block);
  /* Components that provide STRATA_EDGE_QUERY fill `out`; valid until stop(). */
  strata_status (*queryable)(void* instance, strata_queryable* out);
  /* Stop accepting input and flush what is buffered downstream. */
  strata_status (*drain)(void* instance);
  void (*stop)(void* instance);
  void (*destroy)(void* instance);
  /* Reload of a changed component: `previous` (same type, already drained and stopped)
   * hands its durable state (queues, open files) to `instance` before it starts. */
  strata_status (*adopt)(void* instance, void* previous);
} strata_component_vtable;

#define STRATA_COMPONENT_SERIAL 0x1u /* the host serialises consume_* calls */

typedef struct strata_component_def {
  uint32_t struct_size;
  uint32_t kind;    /* strata_kind */
  const char* type; /* lower_snake_case, ^[a-z][a-z0-9_]{0,62}$ */
  const char* description;
  const char* stability; /* "development" | "alpha" | "beta" | "stable" */
  uint32_t inputs;       /* STRATA_EDGE_* it consumes */
  uint32_t outputs;      /* STRATA_EDGE_* it emits */
  uint32_t provides;     /* STRATA_EDGE_QUERY if it is a Queryable */
  uint32_t flags;        /* STRATA_COMPONENT_* */
  const strata_option_def* options;
  size_t option_count;
  const strata_component_vtable* vtable;
} strata_component_def;

#define STRATA_SANITIZER_ADDRESS 0x1u
#define STRATA_SANITIZER_UNDEFINED 0x2u
#define STRATA_SANITIZER_THREAD 0x4u

typedef struct strata_build_signature {
  uint32_t struct_size;
  uint32_t pointer_bits;  /* strict */
  uint32_t little_endian; /* strict */
  uint32_t sanitizers;    /* strict: STRATA_SANITIZER_* */
  uint32_t sdk_major;     /* strict */
  const char* compiler;   /* recorded only: no C++ object crosses the boundary */
} strata_build_signature;

typedef struct strata_plugin_descriptor {
  uint64_t magic;       /* STRATA_PLUGIN_MAGIC */
  uint32_t struct_size; /* sizeof(strata_plugin_descriptor) as the plugin knew it */
  uint16_t abi_major;
  uint16_t abi_minor;
  const strata_build_signature* signature;
  const char* name;
  const char* version;
  const strata_component_def* const* components;
  size_t component_count;
} strata_plugin_descriptor;

/* Side-effect free: returns a pointer to static data. */
typedef const strata_plugin_descriptor* (*strata_plugin_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* STRATA_PLUGIN_ABI_H */
