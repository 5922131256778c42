-- Sequence position and the transaction id; no lock. Readers stop below the oldest transaction
-- still running (xid-reader.sql); rolled-back transactions leave holes.
INSERT INTO order_xid (stream, event_id, data) VALUES ('booking-' || :client_id, gen_random_uuid(), convert_to(repeat('x', 330), 'UTF8'));
