#ifndef STRATA_SQLITE_H
#define STRATA_SQLITE_H

/// Turns on SQLite's query planner stability guarantee (SQLITE_DBCONFIG_ENABLE_QPSG) for a
/// connection, so a kept prepared statement is not re-prepared when new values are bound.
/// `db` is an open `sqlite3 *`. Returns an SQLite result code.
int strata_sqlite_enable_qpsg(void *db);

#endif
