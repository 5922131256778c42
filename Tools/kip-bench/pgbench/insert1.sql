-- One event per transaction (pgbench runs each script as one transaction in autocommit):
-- about 330 bytes of JSON data like kip-bench's booking events, a time-ordered event id.
INSERT INTO bench_events (stream, version, event_id, type, schema_version, data, metadata, recorded_at)
VALUES ('booking-writer' || :client_id, nextval('bench_version'),
  (lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0') || substr(md5(random()::text), 1, 20))::uuid,
  'Building.BookingRequested', 1,
  convert_to('{"booking":"b-' || :client_id || '","space":"hall","date":"2023-02-15","slot":"afternoon","seats":120,"purpose":"事業承継セミナー（第3回）：後継者育成と経営者保証の解除について","contact":{"name":"山田 太郎","company":"株式会社かながわ精工","phone":"045-000-0000"},"fee":{"yen":48000,"discount":"none"},"notes":"prepared by kip-bench"}', 'UTF8'),
  convert_to('{"actor":"bench","role":"desk","source":"pgbench"}', 'UTF8'),
  (extract(epoch FROM clock_timestamp()) * 1000)::bigint);
