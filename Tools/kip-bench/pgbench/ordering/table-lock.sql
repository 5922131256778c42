-- Position = max + 1 under an EXCLUSIVE table lock held to commit: gapless, commit order, serial.
BEGIN;
LOCK TABLE order_table_lock IN EXCLUSIVE MODE;
INSERT INTO order_table_lock (position, stream, event_id, data)
SELECT coalesce(max(position), 0) + 1, 'booking-' || :client_id, gen_random_uuid(), convert_to(repeat('x', 330), 'UTF8') FROM order_table_lock;
COMMIT;
