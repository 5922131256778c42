-- Position from a counter row under a transaction advisory lock held to commit: gapless, serial.
BEGIN;
SELECT pg_advisory_xact_lock(42);
WITH next AS (UPDATE order_counter_row SET position = position + 1 WHERE id = 1 RETURNING position)
INSERT INTO order_advisory (position, stream, event_id, data)
SELECT position, 'booking-' || :client_id, gen_random_uuid(), convert_to(repeat('x', 330), 'UTF8') FROM next;
COMMIT;
