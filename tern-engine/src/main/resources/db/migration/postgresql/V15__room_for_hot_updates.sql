-- Room in each page for a row's next versions. A run's row changes at every step (its event sequence, what it waits
-- on), and none of those columns is indexed, so PostgreSQL can write the new version into the same page without
-- touching any of the runs table's indexes (a heap-only-tuple update), but only if the page has room. With the default
-- fill factor of 100, rows inserted one after another fill their pages: 95% of the row updates in the throughput
-- benchmark wrote a new entry into each of the table's ten or so indexes instead. At 70, 44% of them were heap-only;
-- at 50, all the step checkpoints (two thirds of the updates; a run's end changes indexed columns and cannot be).
-- The price is a runs table about twice as large on disk. Attempts are updated once, when they end.
ALTER TABLE runs SET (fillfactor = 50);
ALTER TABLE attempts SET (fillfactor = 80);
