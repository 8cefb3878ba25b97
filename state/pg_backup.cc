#include "state/pg_backup.h"

#include "state/pg_snapshot_reader.h"
#include "state/pg_state_rows.h"
#include "state/state_edit_applier.h"

namespace spotform {

std::string PgBackupWorkspace(const std::string& workspace) { return workspace + "~backup"; }

std::string PgBackupWhere(const std::string& workspace, int64_t serial) {
  return "the previous serial " + std::to_string(serial) + " in workspace " + workspace;
}

Status KeepPgBackup(PgConnection& conn, const std::string& workspace, const StateSnapshot& snapshot,
                    const Clock& clock) {
  const std::string backup = PgBackupWorkspace(workspace);
  Status row = conn.Run(
      "INSERT INTO spotform_states (workspace, lineage) VALUES ($1, $2) "
      "ON CONFLICT (workspace) DO NOTHING",
      {backup, snapshot.lineage});
  if (!row.ok()) return row;
  PgStateRows rows(conn, backup);
  return StateEditApplier(rows, clock).Replace(snapshot, snapshot.serial);
}

Result<std::optional<StateSnapshot>> ReadPgBackup(PgConnection& conn, const std::string& workspace,
                                                  const std::string& state_name) {
  return ReadPgSnapshot(conn, PgBackupWorkspace(workspace), state_name + " (backup)");
}

std::string PgRestoreAdvice(PgConnection& conn, const std::string& workspace) {
  Result<PgResult> serial = conn.Query("SELECT serial FROM spotform_states WHERE workspace = $1",
                                       {PgBackupWorkspace(workspace)});
  if (serial.ok() && serial->Rows() > 0) {
    return "restore " + PgBackupWhere(workspace, serial->Int(0, 0)) +
           " with `spotform state restore --backup`";
  }
  return "no backup of workspace " + workspace +
         " exists: restore it from a database backup of your own";
}

}  // namespace spotform
