"""The read side of booking: which times are free. Nothing here writes.

- `slots`: the pure arithmetic (`compute_slots`, `merge_counsellors`), no database;
- `loading`: reads an `Availability` in a fixed number of queries, and `find_slots`;
- `queries`: the questions the pages ask (other times for a booking being moved);
- `holidays`: public holidays by French region, from the `holidays` package.
"""
