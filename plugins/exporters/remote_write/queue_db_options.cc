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
  rocksdb::BlockBasedTableOptions table;
  table.no_block_cache = true;
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return o;
}

}  // namespace strata::rwexporter
