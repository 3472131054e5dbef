#include "strata_sqlite.h"

// The SQLite that sqlite-nio vendors is linked into the same binary with its symbols prefixed
// `sqlite_nio_`. sqlite3_db_config is variadic, which Swift cannot call, and sqlite-nio's header
// is not visible to this package, so the one entry point is declared here.
extern int sqlite_nio_sqlite3_db_config(void *db, int op, ...);

enum { STRATA_SQLITE_DBCONFIG_ENABLE_QPSG = 1007 };

int strata_sqlite_enable_qpsg(void *db) {
    return sqlite_nio_sqlite3_db_config(db, STRATA_SQLITE_DBCONFIG_ENABLE_QPSG, 1, (int *)0);
}
