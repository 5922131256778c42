-- What a reader of the xid scheme runs: rows whose writer is older than every running transaction.
SELECT count(*) FROM (SELECT position FROM order_xid WHERE xid < pg_snapshot_xmin(pg_current_snapshot())
  AND position > (SELECT coalesce(max(position), 0) - 1000 FROM order_xid) ORDER BY position) AS visible;
