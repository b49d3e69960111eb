#include "queue_db_options.h"

#include <rocksdb/table.h>

namespace strata::rwexporter {

rocksdb::Options queueDbOptions() {
  rocksdb::Options o;
  o.create_if_missing = true;
  // A scrape of 10,000 series appends ~2.5 MB. A memtable that small flushes about once per
  // interval, usually after its entries were sent and deleted (flush drops such pairs), so
  // little reaches the disk while the remote end is up.
  o.write_buffer_size = 2 << 20;
  o.max_write_buffer_number = 2;
  o.arena_block_size = 256 << 10;
  o.keep_log_file_num = 2;
  // A scrape's append is larger than the memtable, so each one is flushed to an SST before it
  // is sent, and sent by reading it back. Compressing it there costs CPU and a compressed copy
  // of every block while the flush runs, at the agent's peak, for data deleted seconds later;
  // queue.max_bytes bounds logical bytes, so an outage's disk use stays bounded as before.
  o.compression = rocksdb::kNoCompression;
  // The WAL and SST writers buffer up to this much each (RocksDB's default is 1 MB apiece).
  o.writable_file_max_buffer_size = 64 << 10;
  rocksdb::BlockBasedTableOptions table;
  table.no_block_cache = true;
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return o;
}

}  // namespace strata::rwexporter
